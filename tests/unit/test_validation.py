"""The request rules in shared/validation.py, one rule at a time."""

import pytest

from shared import validation
from shared.errors import ValidationFailed

ORDER = {"customer_email": "ada@example.com", "payment_method": "pm_card_visa",
         "items": [{"sku": "MUG-1", "quantity": 2}]}


def fields(excinfo) -> list[str]:
    return [e["field"] for e in excinfo.value.extensions["errors"]]


def test_a_valid_product_is_trimmed_and_stock_defaults_to_zero():
    product = validation.new_product({"sku": "MUG-1", "name": "  Mug ", "price_cents": 2.0})
    assert (product.name, product.price_cents, product.stock) == ("Mug", 2, 0)


@pytest.mark.parametrize("value", [2.5, True, "2", None, 0, 10_000_001])
def test_price_must_be_an_integer_in_range(value):
    with pytest.raises(ValidationFailed) as excinfo:
        validation.new_product({"sku": "MUG-1", "name": "Mug", "price_cents": value})
    assert fields(excinfo) == ["price_cents"]


def test_null_stock_is_not_the_default():
    with pytest.raises(ValidationFailed) as excinfo:
        validation.new_product({"sku": "MUG-1", "name": "Mug", "price_cents": 1, "stock": None})
    assert fields(excinfo) == ["stock"]


@pytest.mark.parametrize("sku", ["M", "mug-1", "-MUG", "MUG_1", "M" * 33, "MUG-1\n"])
def test_sku_pattern(sku):
    with pytest.raises(ValidationFailed):
        validation.new_product({"sku": sku, "name": "Mug", "price_cents": 1})


def test_every_broken_rule_is_named():
    with pytest.raises(ValidationFailed) as excinfo:
        validation.new_product({"name": "   ", "price_cents": 1})
    assert fields(excinfo) == ["sku", "name"]


def test_a_body_that_is_not_an_object():
    with pytest.raises(ValidationFailed) as excinfo:
        validation.order_request([ORDER])
    assert fields(excinfo) == ["body"]


def test_a_valid_order_request():
    request = validation.order_request(ORDER)
    assert request.skus == ["MUG-1"] and request.items[0].quantity == 2


@pytest.mark.parametrize("items, field", [
    ([], "items"),
    ([{"sku": "MUG-1", "quantity": 1}] * 51, "items"),
    (["MUG-1"], "items[0]"),
    ([{"sku": "MUG-1", "quantity": 101}], "items[0].quantity"),
    ([{"sku": "MUG-1", "quantity": 1}, {"sku": "MUG-1", "quantity": 1}], "items[1].sku"),
])
def test_item_rules(items, field):
    with pytest.raises(ValidationFailed) as excinfo:
        validation.order_request(ORDER | {"items": items})
    assert field in fields(excinfo)


@pytest.mark.parametrize("email", ["ada", "ada@example", "a da@example.com",
                                   "a@" + "b" * 250 + ".com"])
def test_customer_email(email):
    with pytest.raises(ValidationFailed) as excinfo:
        validation.order_request(ORDER | {"customer_email": email})
    assert fields(excinfo) == ["customer_email"]


@pytest.mark.parametrize("key", ["", "k" * 256, "caf\u00e9", "tab\there"])
def test_malformed_idempotency_keys(key):
    with pytest.raises(ValidationFailed) as excinfo:
        validation.idempotency_key(key)
    assert fields(excinfo) == ["Idempotency-Key"]


def test_idempotency_key_may_be_left_out_or_any_printable_ascii():
    assert validation.idempotency_key(None) is None
    assert validation.idempotency_key(" ~k" * 85) == " ~k" * 85

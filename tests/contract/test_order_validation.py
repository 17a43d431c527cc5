"""Order validation: items, quantities, e-mail and payment method rules, and the Idempotency-Key header."""

import pytest

from .client import assert_status, assert_validation_error, error_fields, unique_email, unique_sku


def order(sku="A1", quantity=1, **overrides) -> dict:
    return {"customer_email": unique_email(), "items": [{"sku": sku, "quantity": quantity}],
            "payment_method": "pm_card_visa"} | overrides


def assert_field_starts_with(resp, prefix):
    fields = error_fields(resp)
    assert any(field.startswith(prefix) for field in fields), (prefix, fields)


@pytest.mark.parametrize("member", ["customer_email", "items", "payment_method"])
def test_required_members(shop, member):
    body = order()
    del body[member]
    assert_validation_error(shop.post("/orders", json=body), member)


@pytest.mark.parametrize("items", [[], "A1", None, {"sku": "A1", "quantity": 1}])
def test_items_must_be_a_non_empty_list(shop, items):
    assert_validation_error(shop.post("/orders", json=order(items=items)), "items")


def test_at_most_50_items(shop):
    items = [{"sku": f"X{i:02d}", "quantity": 1} for i in range(51)]
    assert_validation_error(shop.post("/orders", json=order(items=items)), "items")


def test_fifty_items_pass_validation(shop):
    # Unknown SKUs: reaching 422 proves the 50 items passed validation.
    items = [{"sku": unique_sku(), "quantity": 1} for _ in range(50)]
    assert shop.post("/orders", json=order(items=items)).status_code == 422


def test_item_must_be_an_object(shop):
    assert_validation_error(shop.post("/orders", json=order(items=["A1"])), "items[0]")


def test_sku_may_appear_once(shop, make_product):
    sku = make_product(stock=10)["sku"]
    items = [{"sku": sku, "quantity": 1}, {"sku": sku, "quantity": 2}]
    assert_field_starts_with(shop.post("/orders", json=order(items=items)), "items")
    assert shop.stock(sku) == 10


@pytest.mark.parametrize("sku", ["a1", "A", "A_1", 7, None])
def test_item_sku_pattern(shop, sku):
    assert_validation_error(shop.post("/orders", json=order(sku=sku)), "items[0].sku")


@pytest.mark.parametrize("quantity", [0, -1, 101, 2.5, True, "2", None])
def test_item_quantity_rules(shop, quantity):
    assert_validation_error(shop.post("/orders", json=order(quantity=quantity)), "items[0].quantity")


def test_quantity_names_its_item_index(shop, make_product):
    sku = make_product(stock=200)["sku"]
    items = [{"sku": sku, "quantity": 1}, {"sku": unique_sku(), "quantity": 0}]
    assert_validation_error(shop.post("/orders", json=order(items=items)), "items[1].quantity")


def test_quantity_100_is_allowed(shop, make_product):
    sku = make_product(price_cents=3, stock=100)["sku"]
    assert assert_status(shop.place_order([(sku, 100)]), 201)["total_cents"] == 300


@pytest.mark.parametrize("email", ["plain", "a@b", "a b@c.de", "a@b c.de", "@b.cd", "a@@b.cd",
                                   "a@b.cd" + "e" * 249, 5, None, "a\u00a0b@c.de", "a\ufeffb@c.de",
                                   "a@b.c\u3000d", "a\u2028b@c.de", "a\u0000b@c.de"])
def test_email_rules(shop, email):
    assert_validation_error(shop.post("/orders", json=order(customer_email=email)), "customer_email")


def test_email_of_254_characters_is_allowed(shop, make_product):
    sku = make_product(stock=1)["sku"]
    email = unique_email()
    email = "x" * (254 - len(email)) + email
    order_ = assert_status(shop.place_order([(sku, 1)], email=email), 201)
    assert order_["customer_email"] == email


# ECMA-262's \\s, which the contract's patterns use, is not Python's: these are not white space.
@pytest.mark.parametrize("email", ["a\u001db@example.com", "a\u0085b@example.com", "a@b\u001c.example"])
def test_separator_controls_in_an_email_are_allowed(shop, make_product, email):
    sku = make_product(stock=1)["sku"]
    placed = assert_status(shop.place_order([(sku, 1)], email=email), 201)
    assert placed["customer_email"] == email


@pytest.mark.parametrize("method", ["card", "pm_", "pm_a-b", "PM_card", "pm_" + "a" * 65, 3, None])
def test_payment_method_rules(shop, method):
    assert_validation_error(shop.post("/orders", json=order(payment_method=method)), "payment_method")


# Non-printable means HTAB here: other control bytes are not valid HTTP and the HTTP server
# itself may refuse them. UTF-8 bytes are sent as they are (requests sends headers as latin-1).
@pytest.mark.parametrize("key", ["", "k" * 256, "tab\tinside", "caf\u00e9",
                                 "ключ".encode().decode("latin-1")])
def test_malformed_idempotency_key(shop, make_product, key):
    sku = make_product(stock=3)["sku"]
    resp = shop.post("/orders", json=order(sku=sku), headers={"Idempotency-Key": key})
    assert_validation_error(resp, "Idempotency-Key")
    assert shop.stock(sku) == 3

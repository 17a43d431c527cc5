"""Product validation: SKU pattern, name trimming, integer rules and bounds for price and stock."""

import pytest

from .client import assert_problem, assert_status, assert_validation_error, unique_sku

NOT_INTEGERS = [2.5, True, False, "2", None, [2], {"v": 2}]


def post_product(shop, **overrides):
    body = {"sku": unique_sku(), "name": "Valid", "price_cents": 100} | overrides
    return body, shop.post("/products", json=body, admin=True)


def assert_rejected(shop, field, **overrides):
    body, resp = post_product(shop, **overrides)
    assert_validation_error(resp, field)
    if isinstance(body["sku"], str) and body["sku"]:
        assert shop.get(f"/products/{body['sku']}").status_code == 404, "a rejected product was stored"


def test_two_character_skus_pass_validation(shop):
    for sku in ("A1", "0-"):
        _, resp = post_product(shop, sku=sku)
        # They cannot be unique on a reused server; a 409 still proves the pattern accepted them.
        if resp.status_code != 201:
            assert_problem(resp, 409, "duplicate_sku")


def test_longest_sku_with_hyphens_is_valid(shop):
    sku = unique_sku("Z-9")
    assert len(sku) == 32
    _, resp = post_product(shop, sku=sku)
    assert assert_status(resp, 201)["sku"] == sku


@pytest.mark.parametrize("sku", ["A", "-AB", "ab-12", "A B", "A_B", "Ä1", "Z" * 33, "", 12, None])
def test_invalid_skus(shop, sku):
    assert_rejected(shop, "sku", sku=sku)


def test_sku_is_required(shop):
    resp = shop.post("/products", json={"name": "No sku", "price_cents": 1}, admin=True)
    assert_validation_error(resp, "sku")


def test_name_is_trimmed(shop):
    _, resp = post_product(shop, name="  \t Padded mug \n ")
    assert assert_status(resp, 201)["name"] == "Padded mug"


@pytest.mark.parametrize("name", ["x", "y" * 200, "  " + "z" * 200 + "  ", "Café ☕ 日本"])
def test_name_length_bounds_accepted(shop, name):
    _, resp = post_product(shop, name=name)
    assert assert_status(resp, 201)["name"] == name.strip()


@pytest.mark.parametrize("name", ["", "   ", "y" * 201, 42, None, ["n"],
                                  "\u00a0\u3000", "\ufeff", "\u2028\u2029", "Mug\u0000"])
def test_name_rules(shop, name):
    assert_rejected(shop, "name", name=name)


# The contract's patterns are ECMA-262's: these are ordinary characters there, not white space,
# though Python's str.strip() would take them.
@pytest.mark.parametrize("name", ["\u001c", "\u001dMug\u001f", "Mug\u0085", "\u001e\u001e"])
def test_separator_controls_are_not_white_space(shop, name):
    _, resp = post_product(shop, name=name)
    assert assert_status(resp, 201)["name"] == name


def test_every_ecma_white_space_is_trimmed(shop):
    _, resp = post_product(shop, name="\u00a0\u2003\ufeff Mug \u3000\u205f\u2028")
    assert assert_status(resp, 201)["name"] == "Mug"


def test_name_is_required(shop):
    resp = shop.post("/products", json={"sku": unique_sku(), "price_cents": 1}, admin=True)
    assert_validation_error(resp, "name")


@pytest.mark.parametrize("price, stored", [(1, 1), (10_000_000, 10_000_000), (2.0, 2)])
def test_price_accepted(shop, price, stored):
    _, resp = post_product(shop, price_cents=price)
    body = assert_status(resp, 201)
    assert body["price_cents"] == stored and isinstance(body["price_cents"], int)


@pytest.mark.parametrize("price", [0, -1, 10_000_001] + NOT_INTEGERS)
def test_price_rules(shop, price):
    assert_rejected(shop, "price_cents", price_cents=price)


def test_price_is_required(shop):
    resp = shop.post("/products", json={"sku": unique_sku(), "name": "n"}, admin=True)
    assert_validation_error(resp, "price_cents")


@pytest.mark.parametrize("stock, stored", [(0, 0), (1_000_000, 1_000_000), (3.0, 3)])
def test_stock_accepted(shop, stock, stored):
    _, resp = post_product(shop, stock=stock)
    body = assert_status(resp, 201)
    assert body["stock"] == stored and isinstance(body["stock"], int)


@pytest.mark.parametrize("stock", [-1, 1_000_001] + NOT_INTEGERS)
def test_stock_rules(shop, stock):
    # None is in NOT_INTEGERS on purpose: stock may be left out, but not null.
    assert_rejected(shop, "stock", stock=stock)

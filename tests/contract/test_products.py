"""Products: create, read, list in code-point order, duplicate SKUs, restock."""

import pytest

from .client import (
    assert_location,
    assert_problem,
    assert_product,
    assert_status,
    assert_validation_error,
    check_schema,
    unique_sku,
)


def test_create_product_returns_201_with_location(shop):
    sku = unique_sku()
    resp = shop.create_product(sku, price_cents=1299, stock=7, name="Blue mug")
    body = assert_product(assert_status(resp, 201))
    assert body == {"sku": sku, "name": "Blue mug", "price_cents": 1299, "stock": 7}
    assert_location(resp, f"/products/{sku}")
    assert shop.product(sku) == body


def test_stock_defaults_to_zero(shop):
    sku = unique_sku()
    assert assert_status(shop.create_product(sku), 201)["stock"] == 0
    assert shop.stock(sku) == 0


def test_unnamed_members_are_ignored(shop):
    sku = unique_sku()
    body = {"sku": sku, "name": "Plain", "price_cents": 10, "colour": "red", "id": 5}
    assert assert_status(shop.post("/products", json=body, admin=True), 201) == {
        "sku": sku, "name": "Plain", "price_cents": 10, "stock": 0}


def test_duplicate_sku_is_409_and_keeps_the_original(shop, make_product):
    original = make_product(price_cents=500, stock=3)
    resp = shop.create_product(original["sku"], price_cents=999, stock=50, name="Other")
    assert_problem(resp, 409, "duplicate_sku")
    assert shop.product(original["sku"]) == original


def test_unknown_product_is_404(shop):
    assert_problem(shop.get(f"/products/{unique_sku()}"), 404, "product_not_found")


def test_products_are_listed_in_code_point_order(shop):
    prefix = unique_sku("S")[:20]
    # Under a linguistic collation "-" is ignored and these sort differently.
    suffixes = ["A", "-C", "0", "-B9", "B"]
    for suffix in suffixes:
        assert_status(shop.create_product(prefix + suffix), 201)
    body = assert_status(shop.get("/products"), 200)
    check_schema(body, "ProductList")
    skus = [assert_product(product)["sku"] for product in body["items"]]
    assert skus == sorted(skus), "GET /products is not sorted by sku in code-point order"
    mine = [sku for sku in skus if sku.startswith(prefix)]
    assert mine == [prefix + s for s in ("-B9", "-C", "0", "A", "B")]


def test_restock_adds_to_stock(shop, make_product):
    sku = make_product(stock=4)["sku"]
    body = assert_product(assert_status(shop.restock(sku, 6), 200))
    assert body["stock"] == 10 and body["sku"] == sku
    assert assert_status(shop.restock(sku, 1_000_000), 200)["stock"] == 1_000_010
    assert shop.stock(sku) == 1_000_010


def test_restock_unknown_product_is_404(shop):
    assert_problem(shop.restock(unique_sku(), 5), 404, "product_not_found")


@pytest.mark.parametrize("quantity", [0, -1, 1_000_001, 2.5, True, "3", None])
def test_restock_quantity_rules(shop, make_product, quantity):
    sku = make_product(stock=4)["sku"]
    assert_validation_error(shop.restock(sku, quantity), "quantity")
    assert shop.stock(sku) == 4


def test_restock_quantity_is_required_and_integral_floats_count(shop, make_product):
    sku = make_product(stock=4)["sku"]
    assert_validation_error(shop.post(f"/products/{sku}/restock", json={}, admin=True), "quantity")
    assert assert_status(shop.restock(sku, 2.0), 200)["stock"] == 6

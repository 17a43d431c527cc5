"""Placing orders: confirmed, unknown product, out of stock, payment declined; reading orders."""

import uuid

import pytest

from .client import (
    DECLINED_METHODS,
    assert_location,
    assert_order,
    assert_problem,
    assert_status,
    unique_email,
    unique_sku,
)


def test_confirmed_order(shop, make_product):
    mug = make_product(price_cents=1250, stock=10)
    pen = make_product(price_cents=199, stock=5)
    email = unique_email()
    # Items deliberately not in SKU order: the order keeps the request's order.
    resp = shop.place_order([(pen["sku"], 3), (mug["sku"], 2)], email=email)
    order = assert_order(assert_status(resp, 201))
    assert_location(resp, f"/orders/{order['id']}")
    assert order["status"] == "confirmed" and order["payment_status"] == "captured"
    assert order["rejection_reason"] is None and order["customer_email"] == email
    assert order["items"] == [
        {"sku": pen["sku"], "quantity": 3, "unit_price_cents": 199, "line_total_cents": 597},
        {"sku": mug["sku"], "quantity": 2, "unit_price_cents": 1250, "line_total_cents": 2500}]
    assert order["total_cents"] == 3097
    assert shop.stock(mug["sku"]) == 8 and shop.stock(pen["sku"]) == 2


def test_get_order_returns_what_was_placed(shop, make_product):
    sku = make_product(price_cents=300, stock=2)["sku"]
    placed = assert_status(shop.place_order([(sku, 1)]), 201)
    assert shop.order(placed["id"]) == placed


def test_order_may_take_the_last_unit_and_integral_floats_count(shop, make_product):
    sku = make_product(price_cents=40, stock=2)["sku"]
    order = assert_status(shop.place_order([(sku, 2.0)]), 201)
    assert order["items"][0]["quantity"] == 2 and isinstance(order["items"][0]["quantity"], int)
    assert order["total_cents"] == 80 and shop.stock(sku) == 0


def test_order_ids_are_distinct(shop, make_product):
    sku = make_product(stock=10)["sku"]
    ids = {assert_status(shop.place_order([(sku, 1)]), 201)["id"] for _ in range(3)}
    assert len(ids) == 3


def test_unknown_products_are_422_and_nothing_is_recorded(shop, make_product):
    known = make_product(stock=5)["sku"]
    missing_b, missing_a = unique_sku("B"), unique_sku("A")
    email = unique_email()
    resp = shop.place_order([(missing_b, 1), (known, 1), (missing_a, 2)], email=email)
    body = assert_problem(resp, 422, "unknown_product")
    assert body["skus"] == [missing_b, missing_a]
    assert shop.stock(known) == 5
    assert shop.orders_of(email) == []


def test_out_of_stock_is_409_and_the_rejection_is_recorded(shop, make_product):
    plenty = make_product(price_cents=100, stock=50)["sku"]
    short_z, short_a = make_product(stock=2)["sku"], make_product(stock=0)["sku"]
    email = unique_email()
    resp = shop.place_order([(short_z, 3), (plenty, 5), (short_a, 1)], email=email)
    body = assert_problem(resp, 409, "out_of_stock")
    assert body["skus"] == [short_z, short_a]
    order = shop.order(body["order_id"])
    assert (order["status"], order["rejection_reason"], order["payment_status"]) == (
        "rejected", "out_of_stock", None)
    assert order["customer_email"] == email and len(order["items"]) == 3
    # All lines or none: the line that had enough stock took nothing either.
    assert [shop.stock(s) for s in (plenty, short_z, short_a)] == [50, 2, 0]
    assert [o["id"] for o in shop.orders_of(email)] == [order["id"]]


def test_out_of_stock_comes_before_payment(shop, make_product):
    sku = make_product(stock=1)["sku"]
    body = assert_problem(shop.place_order([(sku, 2)], payment_method=DECLINED_METHODS[0]),
                          409, "out_of_stock")
    assert shop.order(body["order_id"])["payment_status"] is None


@pytest.mark.parametrize("method", DECLINED_METHODS)
def test_declined_payment_is_402_and_recorded(shop, make_product, method):
    sku = make_product(price_cents=700, stock=4)["sku"]
    body = assert_problem(shop.place_order([(sku, 3)], payment_method=method), 402, "payment_declined")
    order = shop.order(body["order_id"])
    assert (order["status"], order["rejection_reason"], order["payment_status"]) == (
        "rejected", "payment_declined", "declined")
    assert order["total_cents"] == 2100
    assert shop.stock(sku) == 4


@pytest.mark.parametrize("method", ["pm_card_visa", "pm_x", "pm_" + "A_9" * 21 + "z"])
def test_other_payment_methods_are_approved(shop, make_product, method):
    sku = make_product(stock=1)["sku"]
    order = assert_status(shop.place_order([(sku, 1)], payment_method=method), 201)
    assert order["payment_status"] == "captured"


@pytest.mark.parametrize("order_id", [str(uuid.uuid4()), "A" * 40])
def test_unknown_order_is_404(shop, order_id):
    assert_problem(shop.get(f"/orders/{order_id}"), 404, "order_not_found")

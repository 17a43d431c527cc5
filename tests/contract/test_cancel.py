"""Cancelling orders: a confirmed order becomes cancelled/refunded and gives its stock back;
nothing else can."""

import uuid

import pytest

from .client import DECLINED_METHODS, assert_order, assert_problem, assert_status, assert_validation_error


def test_cancel_confirmed_order(shop, make_product):
    sku = make_product(price_cents=250, stock=5)["sku"]
    placed = assert_status(shop.place_order([(sku, 3)]), 201)
    cancelled = assert_order(assert_status(shop.cancel(placed["id"]), 200))
    assert (cancelled["status"], cancelled["payment_status"]) == ("cancelled", "refunded")
    unchanged = {k: v for k, v in placed.items() if k not in ("status", "payment_status")}
    assert {k: v for k, v in cancelled.items() if k not in ("status", "payment_status")} == unchanged
    assert shop.order(placed["id"]) == cancelled
    assert shop.stock(sku) == 5


def test_cancel_with_empty_json_object(shop, make_product):
    sku = make_product(stock=2)["sku"]
    placed = assert_status(shop.place_order([(sku, 2)]), 201)
    resp = shop.post(f"/orders/{placed['id']}/cancel", json={})
    assert assert_status(resp, 200)["status"] == "cancelled"
    assert shop.stock(sku) == 2


def test_cancel_twice_is_409_and_gives_stock_back_once(shop, make_product):
    sku = make_product(stock=4)["sku"]
    placed = assert_status(shop.place_order([(sku, 4)]), 201)
    assert_status(shop.cancel(placed["id"]), 200)
    assert_problem(shop.cancel(placed["id"]), 409, "invalid_order_state")
    assert shop.stock(sku) == 4
    assert shop.order(placed["id"])["status"] == "cancelled"


def test_rejected_orders_cannot_be_cancelled(shop, make_product):
    sku = make_product(stock=1)["sku"]
    out_of_stock = assert_problem(shop.place_order([(sku, 2)]), 409, "out_of_stock")
    declined = assert_problem(shop.place_order([(sku, 1)], payment_method=DECLINED_METHODS[1]),
                              402, "payment_declined")
    for body in (out_of_stock, declined):
        assert_problem(shop.cancel(body["order_id"]), 409, "invalid_order_state")
        assert shop.order(body["order_id"])["status"] == "rejected"
    assert shop.stock(sku) == 1


def test_cancel_unknown_order_is_404(shop):
    assert_problem(shop.cancel(str(uuid.uuid4())), 404, "order_not_found")


def test_cancelled_stock_can_be_sold_again(shop, make_product):
    sku = make_product(stock=1)["sku"]
    first = assert_status(shop.place_order([(sku, 1)]), 201)
    assert_problem(shop.place_order([(sku, 1)]), 409, "out_of_stock")
    assert_status(shop.cancel(first["id"]), 200)
    assert_status(shop.place_order([(sku, 1)]), 201)
    assert shop.stock(sku) == 0


@pytest.mark.parametrize("body", [b"null", b"[]", b'"x"', b"0", b"false"])
def test_cancel_with_a_body_that_is_not_an_object_is_400_and_changes_nothing(shop, make_product, body):
    sku = make_product(stock=2)["sku"]
    placed = assert_status(shop.place_order([(sku, 2)]), 201)
    resp = shop.post(f"/orders/{placed['id']}/cancel", data=body,
                     headers={"Content-Type": "application/json"})
    assert_validation_error(resp, "body")
    assert shop.order(placed["id"])["status"] == "confirmed"
    assert shop.stock(sku) == 0

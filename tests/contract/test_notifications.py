"""Notifications (admin): one order_confirmed per confirmed order, one order_cancelled per cancel."""

import time
import uuid

from .client import DECLINED_METHODS, assert_problem, assert_status, error_fields, unique_email

SETTLE = 0.5  # seconds to wait after the expected notifications arrived, to catch a duplicate


def kinds(items) -> list[str]:
    return sorted(item["kind"] for item in items)


def wait_and_settle(shop, order_id, count):
    first = shop.wait_for_notifications(order_id, count)
    time.sleep(SETTLE)
    return first, shop.notifications(order_id)


def test_confirmed_order_gets_one_confirmation(shop, make_product):
    sku = make_product(stock=2)["sku"]
    email = unique_email()
    order_id = assert_status(shop.place_order([(sku, 1)], email=email), 201)["id"]
    first, settled = wait_and_settle(shop, order_id, 1)
    assert kinds(first) == ["order_confirmed"], first
    assert first == settled, "a notification arrived twice"
    assert (first[0]["order_id"], first[0]["recipient"]) == (order_id, email)


def test_cancelled_order_gets_one_cancellation(shop, make_product):
    sku = make_product(stock=2)["sku"]
    email = unique_email()
    order_id = assert_status(shop.place_order([(sku, 1)], email=email), 201)["id"]
    assert_status(shop.cancel(order_id), 200)
    first, settled = wait_and_settle(shop, order_id, 2)
    assert kinds(first) == ["order_cancelled", "order_confirmed"], first
    assert kinds(settled) == kinds(first), "a notification arrived twice"
    assert {(n["order_id"], n["recipient"]) for n in settled} == {(order_id, email)}


def test_rejected_orders_get_none(shop, make_product):
    sku = make_product(stock=1)["sku"]
    rejected = [
        assert_problem(shop.place_order([(sku, 5)]), 409, "out_of_stock")["order_id"],
        assert_problem(shop.place_order([(sku, 1)], payment_method=DECLINED_METHODS[0]),
                       402, "payment_declined")["order_id"],
    ]
    # A later confirmed order's notification arriving shows the pipeline has caught up.
    confirmed = assert_status(shop.place_order([(sku, 1)]), 201)["id"]
    wait_and_settle(shop, confirmed, 1)
    for order_id in rejected:
        assert shop.notifications(order_id) == [], order_id


def test_unknown_order_has_no_notifications(shop):
    assert shop.notifications(str(uuid.uuid4())) == []
    assert shop.notifications("not-even-an-id") == []


def test_order_id_is_required(shop):
    assert "order_id" in error_fields(shop.get("/notifications", admin=True))

"""Pricing and the order's state machine in shared/orders.py."""

import re

import pytest

from shared import notifications, payments
from shared.errors import InvalidOrderState
from shared.orders import ItemRequest, Order, OrderRequest

REQUEST = OrderRequest("ada@example.com", (ItemRequest("A-1", 2), ItemRequest("B-1", 1)), "pm_x")


def test_prices_are_copied_into_the_lines():
    order = Order.place(REQUEST, {"A-1": 250, "B-1": 1000})
    assert [line.line_total_cents for line in order.lines] == [500, 1000]
    assert order.total_cents == 1500


def test_ids_are_unguessable_and_timestamps_rfc3339_utc():
    order = Order.place(REQUEST, {"A-1": 1, "B-1": 1})
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,64}", order.id)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", order.created_at)


def test_unknown_and_short_skus_keep_request_order():
    assert REQUEST.unknown_skus({"A-1": 1}) == ["B-1"]
    assert REQUEST.short_skus({"A-1": 1, "B-1": 0}) == ["A-1", "B-1"]


def test_only_a_confirmed_order_can_be_cancelled():
    order = Order.place(REQUEST, {"A-1": 1, "B-1": 1})
    assert order.confirm().cancel().payment_status == "refunded"
    with pytest.raises(InvalidOrderState):
        order.reject("out_of_stock").cancel()
    with pytest.raises(InvalidOrderState):
        order.confirm().cancel().cancel()


def test_notifications_follow_the_state():
    order = Order.place(REQUEST, {"A-1": 1, "B-1": 1})
    assert notifications.for_order(order.reject("out_of_stock")) is None
    assert notifications.for_order(order.confirm()).kind == "order_confirmed"
    assert notifications.for_order(order.confirm().cancel()).kind == "order_cancelled"


@pytest.mark.parametrize("method, outcome", [
    ("pm_card_visa", "captured"),
    ("pm_card_chargeDeclined", "declined"),
    ("pm_card_chargeDeclinedInsufficientFunds", "declined"),
])
def test_fake_payment_provider(method, outcome):
    assert payments.charge(method) == outcome

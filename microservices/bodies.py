"""The bodies of the internal API, checked as the public ones are (shared/validation.py): a
malformed call from another service is a 400 `validation_error` naming every broken rule,
never a KeyError and a 500."""

import re
from typing import Any

from shared.notifications import KIND_FOR_STATUS
from shared.validation import EMAIL, MISSING, PAYMENT_METHOD, Rules, json_object, order_items

ORDER_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
KIND = re.compile("|".join(KIND_FOR_STATUS.values()))
TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z")
EVENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}:[a-z_]{1,32}")
MAX_AMOUNT_CENTS = 50 * 100 * 10_000_000  # the most an order can cost: 50 lines of 100 at the top price


def stock_level(body: Any) -> int:
    """PUT /stock/{sku}: a new item's stock."""
    body, rules = json_object(body), Rules()
    stock = rules.integer(body.get("stock", MISSING), "stock", 0, 1_000_000)
    rules.check()
    return stock


def reservation(body: Any) -> tuple[str, list[tuple[str, int]]]:
    """POST /reservations: the order and its lines."""
    body, rules = json_object(body), Rules()
    order_id = rules.pattern(body.get("order_id", MISSING), "order_id", ORDER_ID)
    items = order_items(body.get("items", MISSING), rules)
    rules.check()
    return order_id, [(item.sku, item.quantity) for item in items]


def charge(body: Any) -> tuple[str, str, int]:
    """POST /payments: the order, its payment method and its total."""
    body, rules = json_object(body), Rules()
    order_id = rules.pattern(body.get("order_id", MISSING), "order_id", ORDER_ID)
    method = rules.pattern(body.get("payment_method", MISSING), "payment_method", PAYMENT_METHOD)
    amount = rules.integer(body.get("amount_cents", MISSING), "amount_cents", 1, MAX_AMOUNT_CENTS)
    rules.check()
    return order_id, method, amount


def event(body: Any) -> dict:
    """POST /events: a notification to store once, by its event id."""
    body, rules = json_object(body), Rules()
    checked = {
        "event_id": rules.pattern(body.get("event_id", MISSING), "event_id", EVENT_ID),
        "order_id": rules.pattern(body.get("order_id", MISSING), "order_id", ORDER_ID),
        "kind": rules.pattern(body.get("kind", MISSING), "kind", KIND),
        "recipient": rules.pattern(body.get("recipient", MISSING), "recipient", EMAIL, 254),
        "created_at": rules.pattern(body.get("created_at", MISSING), "created_at", TIMESTAMP),
    }
    rules.check()
    return checked

"""The messages the saga and cancel send through the outbox, each to an endpoint of another
service that is idempotent by order id (inventory, payments) or by event id (notifications).
The undoing ones are urgent: an answer that says "given back" or "refunded" waits for them."""

from microservices.orders.outbox import Message
from shared import notifications
from shared.orders import Order


def release(order_id: str) -> Message:
    return Message("inventory", f"/reservations/{order_id}/release", {}, urgent=True)


def commit(order_id: str) -> Message:
    return Message("inventory", f"/reservations/{order_id}/commit", {})


def refund(order_id: str) -> Message:
    return Message("payments", f"/payments/{order_id}/refund", {}, urgent=True)


def notify(order: Order) -> list[Message]:
    """The message of the notification the order's status calls for, if any."""
    notification = notifications.for_order(order)
    if notification is None:
        return []
    return [Message("notifications", "/events",
                    notification.to_json() | {"event_id": notification.event_id})]

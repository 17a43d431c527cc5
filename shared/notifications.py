"""Which notification an order earns, and the event id that keeps it from being sent twice."""

from dataclasses import dataclass

from shared.orders import CANCELLED, CONFIRMED, Order, utc_timestamp

ORDER_CONFIRMED, ORDER_CANCELLED = "order_confirmed", "order_cancelled"
KIND_FOR_STATUS = {CONFIRMED: ORDER_CONFIRMED, CANCELLED: ORDER_CANCELLED}


@dataclass(frozen=True)
class Notification:
    order_id: str
    kind: str
    recipient: str
    created_at: str

    @property
    def event_id(self) -> str:
        # One order earns each kind at most once, so this names the event uniquely.
        return f"{self.order_id}:{self.kind}"

    def to_json(self) -> dict:
        return {"order_id": self.order_id, "kind": self.kind,
                "recipient": self.recipient, "created_at": self.created_at}


def for_order(order: Order) -> Notification | None:
    """The notification an order's new state calls for; a rejected order gets none."""
    kind = KIND_FOR_STATUS.get(order.status)
    if kind is None:
        return None
    return Notification(order.id, kind, order.customer_email, utc_timestamp())

"""The order: what a customer asks for, how it is priced, and the states it moves through."""

import uuid
from collections.abc import Container
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from shared.errors import InvalidOrderState

PENDING, CONFIRMED, REJECTED, CANCELLED = "pending", "confirmed", "rejected", "cancelled"
OUT_OF_STOCK, PAYMENT_DECLINED = "out_of_stock", "payment_declined"

# The only moves an order can make; "pending" is never shown to a client.
TRANSITIONS = {PENDING: {CONFIRMED, REJECTED}, CONFIRMED: {CANCELLED}}


def utc_timestamp() -> str:
    """RFC 3339 in UTC to the millisecond, e.g. 2026-11-23T09:25:21.123Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class NewProduct:
    sku: str
    name: str
    price_cents: int
    stock: int = 0


@dataclass(frozen=True)
class ItemRequest:
    sku: str
    quantity: int


@dataclass(frozen=True)
class OrderRequest:
    customer_email: str
    items: tuple[ItemRequest, ...]
    payment_method: str

    @property
    def skus(self) -> list[str]:
        return [item.sku for item in self.items]

    def unknown_skus(self, known: Container[str]) -> list[str]:
        return [sku for sku in self.skus if sku not in known]

    def short_skus(self, stock: dict[str, int]) -> list[str]:
        return [item.sku for item in self.items if stock[item.sku] < item.quantity]


@dataclass(frozen=True)
class OrderLine:
    sku: str
    quantity: int
    unit_price_cents: int

    @property
    def line_total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


@dataclass(frozen=True)
class Order:
    id: str
    customer_email: str
    lines: tuple[OrderLine, ...]
    created_at: str
    status: str = PENDING
    payment_status: str | None = None
    rejection_reason: str | None = None

    @classmethod
    def place(cls, request: OrderRequest, prices: dict[str, int]) -> "Order":
        """A pending order with the unit prices of this moment copied into its lines."""
        return cls.start(request).priced(request, prices)

    @classmethod
    def start(cls, request: OrderRequest) -> "Order":
        """A pending order whose lines are not priced yet."""
        return cls(str(uuid.uuid4()), request.customer_email, (), utc_timestamp())

    def priced(self, request: OrderRequest, prices: dict[str, int]) -> "Order":
        lines = tuple(OrderLine(i.sku, i.quantity, prices[i.sku]) for i in request.items)
        return replace(self, lines=lines)

    @property
    def total_cents(self) -> int:
        return sum(line.line_total_cents for line in self.lines)

    def _move(self, status: str, **changes) -> "Order":
        if status not in TRANSITIONS.get(self.status, ()):
            raise InvalidOrderState(f"A {self.status} order cannot become {status}.")
        return replace(self, status=status, **changes)

    def confirm(self) -> "Order":
        return self._move(CONFIRMED, payment_status="captured")

    def reject(self, reason: str, payment_status: str | None = None) -> "Order":
        return self._move(REJECTED, rejection_reason=reason, payment_status=payment_status)

    def cancel(self) -> "Order":
        return self._move(CANCELLED, payment_status="refunded")

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "status": self.status,
            "customer_email": self.customer_email,
            "items": [
                {"sku": line.sku, "quantity": line.quantity,
                 "unit_price_cents": line.unit_price_cents,
                 "line_total_cents": line.line_total_cents}
                for line in self.lines
            ],
            "total_cents": self.total_cents,
            "payment_status": self.payment_status,
            "rejection_reason": self.rejection_reason,
            "created_at": self.created_at,
        }

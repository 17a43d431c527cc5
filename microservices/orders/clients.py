"""The orders service's way to the others: the saga's steps as calls, one connection pool per target."""

from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor

from microservices.remote import Service, side_by_side
from shared.errors import OrderNotFound, ServiceUnavailable
from shared.orders import Order, OrderRequest

TARGETS = ("catalog", "inventory", "payments", "notifications")
HELD = ("reserved", "committed")  # the inventory's states of a reservation that holds stock


class Clients:
    """Made once per worker process (and once in the relay), after gunicorn forked."""

    def __init__(self, config: Mapping):
        self.services = {name: Service(name, config[f"{name.upper()}_URL"],
                                       config["INTERNAL_TOKEN"], config["TIMEOUT"])
                         for name in TARGETS}
        # One thread per request thread of the worker (launcher/gunicorn_conf.py), made on use.
        self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="orders-calls")

    def prices(self, skus: list[str]) -> dict[str, int]:
        found = self.services["catalog"].call("GET", "/products", params={"sku": skus})
        return {product["sku"]: product["price_cents"] for product in found["items"]}

    def prices_soon(self, skus: list[str]) -> Future:
        """`prices`, asked in another thread while this one goes on."""
        return side_by_side(self.pool, self.prices, skus)

    def reserve(self, order_id: str, request: OrderRequest) -> None:
        """All lines or none; raises OutOfStock naming the short SKUs (and any unknown one)."""
        lines = [{"sku": item.sku, "quantity": item.quantity} for item in request.items]
        answer = self.services["inventory"].call(
            "POST", "/reservations", json={"order_id": order_id, "items": lines})
        if answer["state"] != "reserved":  # released already: this saga was given up on
            raise ServiceUnavailable(f"The reservation for order {order_id} was released.")

    def charge(self, order: Order, payment_method: str) -> str:
        answer = self.services["payments"].call("POST", "/payments", json={
            "order_id": order.id, "amount_cents": order.total_cents,
            "payment_method": payment_method})
        return answer["status"]

    def reservation(self, order_id: str) -> str | None:
        """What inventory holds for the order: reserved, committed, released, or nothing."""
        return self._state("inventory", f"/reservations/{order_id}", "state")

    def payment(self, order_id: str) -> str | None:
        """What payments did for the order: captured, declined, refunded, voided, or nothing."""
        return self._state("payments", f"/payments/{order_id}", "status")

    def _state(self, target: str, path: str, member: str) -> str | None:
        try:
            return self.services[target].call("GET", path)[member]
        except OrderNotFound:
            return None

"""The microservices variant as real processes, for the outage tests: a hand on each process,
and a look into each service's own database to see what really happened."""

import requests
from sqlalchemy import select

from microservices import database
from microservices.inventory.db import metadata as inventory_metadata, stock
from microservices.orders.db import metadata as orders_metadata, orders
from microservices.payments.db import metadata as payments_metadata, payments
from tests.integration.running import ADMIN, Running

READ_TIMEOUT = 1.5  # between services: short, so that a hung service is noticed quickly
ORDERS_READ_TIMEOUT = 6.0


class RunningMicroservices(Running):
    """The variant's processes, and a look into each service's own database."""

    def __init__(self, supervisor, port: int, logs, data_dir, database_url: str | None):
        super().__init__(supervisor, port, logs)
        self.data_dir = data_dir
        self.database_url = database_url  # None: one SQLite file per service

    def place(self, sku: str, email: str, **kwargs) -> requests.Response:
        body = {"customer_email": email, "items": [{"sku": sku, "quantity": 2}],
                "payment_method": "pm_card_visa"}
        return self.call("POST", "/orders", json=body, **kwargs)

    def notifications(self, order_id: str) -> list[dict]:
        response = self.call("GET", "/notifications", params={"order_id": order_id}, headers=ADMIN)
        assert response.status_code == 200, response.text
        return response.json()["items"]

    # What each service's own database holds, read directly: the ground truth.
    def _rows(self, service: str, metadata, query) -> list:
        url = self.database_url or f"sqlite:///{self.data_dir}/microservices-{service}.db"
        engine = database.open_database(url, service, metadata)
        try:
            with engine.begin() as conn:
                return conn.execute(query).all()
        finally:
            engine.dispose()

    def stock_in_inventory(self, sku: str) -> int:
        return self._rows("inventory", inventory_metadata,
                          select(stock.c.stock).where(stock.c.sku == sku))[0][0]

    def order_rows(self, email: str) -> list:
        return self._rows("orders", orders_metadata,
                          select(orders.c.id, orders.c.status).where(orders.c.customer_email == email))

    def payments_for(self, order_ids: list[str]) -> dict[str, str]:
        rows = self._rows("payments", payments_metadata,
                          select(payments.c.order_id, payments.c.status)
                          .where(payments.c.order_id.in_(order_ids)))
        return dict(rows)

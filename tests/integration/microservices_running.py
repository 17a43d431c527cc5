"""The microservices variant as real processes, for the outage tests: a hand on each process,
and a look into each service's own database to see what really happened."""

import os
import signal
import time
import uuid

import pytest
import requests
from sqlalchemy import select

from launcher import processes
from launcher.processes import Supervisor
from launcher.variants import VARIANTS
from microservices import database
from microservices.inventory.db import metadata as inventory_metadata, stock
from microservices.orders.db import metadata as orders_metadata, orders
from microservices.payments.db import metadata as payments_metadata, payments
from tests.contract.launch import free_base_port
from tests.integration.conftest import POSTGRES_URL

TOKEN = "outage-test-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
READ_TIMEOUT = 1.5  # between services: short, so that a hung service is noticed quickly
ORDERS_READ_TIMEOUT = 6.0


class Running:
    """The variant's processes, with a hand on each of them."""

    def __init__(self, supervisor: Supervisor, port: int, data_dir, database_url, logs):
        self.supervisor = supervisor
        self.logs = logs  # (process name, line), in the order each process wrote them
        self.url = f"http://127.0.0.1:{port}"
        self.http = requests.Session()
        self.data_dir = data_dir
        self.database_url = database_url  # None: one SQLite file per service

    def child(self, name: str):
        return [child for process, child in self.supervisor.children if process.name == name][-1]

    def stop(self, name: str) -> None:
        child = self.child(name)
        child.terminate()
        child.wait(timeout=15)

    def restart(self, name: str) -> None:
        process = next(p for p, _ in self.supervisor.children if p.name == name)
        self.supervisor.start(process)
        deadline = time.monotonic() + 30
        while not _healthy(process.health_url):
            assert time.monotonic() < deadline, f"{name} did not come back"
            time.sleep(0.1)

    def signal(self, name: str, signum: int) -> None:
        os.killpg(self.child(name).pid, signum)  # gunicorn's master and its worker

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.http.request(method, self.url + path, timeout=10, **kwargs)

    def new_product(self, stock: int) -> str:
        sku = f"OUT-{uuid.uuid4().hex[:12].upper()}"
        body = {"sku": sku, "name": "Outage mug", "price_cents": 300, "stock": stock}
        response = self.call("POST", "/products", json=body, headers=ADMIN)
        assert response.status_code == 201, response.text
        return sku

    def place(self, sku: str, email: str, **kwargs) -> requests.Response:
        body = {"customer_email": email, "items": [{"sku": sku, "quantity": 2}],
                "payment_method": "pm_card_visa"}
        return self.call("POST", "/orders", json=body, **kwargs)

    def orders_of(self, email: str) -> list[dict]:
        response = self.call("GET", "/orders", params={"customer_email": email}, headers=ADMIN)
        assert response.status_code == 200, response.text
        return response.json()["items"]

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


@pytest.fixture(params=["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"])
def running(request, tmp_path, monkeypatch):
    logs: list[tuple[str, str]] = []

    def keep(name: str, stream) -> None:
        for line in stream:
            logs.append((name, line))
    # The tests read the processes' logs, so keep the lines instead of printing them.
    monkeypatch.setattr(processes, "_relay", keep)
    port = free_base_port()
    env = os.environ | {"SHOP_ADMIN_TOKEN": TOKEN, "SHOP_DATA_DIR": str(tmp_path),
                        "PYTHONUNBUFFERED": "1", "SERVICE_READ_TIMEOUT": str(READ_TIMEOUT),
                        "ORDERS_READ_TIMEOUT": str(ORDERS_READ_TIMEOUT)}
    env.pop("DATABASE_URL", None)
    database_url = None
    if request.param == "postgres":
        database_url = env["DATABASE_URL"] = request.getfixturevalue("postgres_databases").create()
    supervisor = Supervisor(env)
    try:
        for process in VARIANTS["microservices"].processes(port):
            supervisor.start(process)
        supervisor.wait_healthy()
        yield Running(supervisor, port, tmp_path, database_url, logs)
    finally:
        for _, child in supervisor.children:  # a paused process would not act on SIGTERM
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGCONT)
        supervisor.stop()


def _healthy(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


def wait_for(condition, seconds: float, message: str):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        assert time.monotonic() < deadline, message
        time.sleep(0.1)
    return result


def assert_service_unavailable(response: requests.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "service_unavailable"
    assert response.headers["X-Request-Id"]

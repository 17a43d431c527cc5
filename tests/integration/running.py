"""A variant as real processes for the outage tests, started the way `shop up` starts it:
a hand on each process (stop, restart, pause), its logs kept, and its public API."""

import contextlib
import os
import time
import uuid

import requests

from launcher import processes
from launcher.processes import Supervisor
from launcher.variants import VARIANTS
from tests.contract.launch import free_base_port

# The PostgreSQL server of the postgres runs; without it, each database test runs on SQLite only.
POSTGRES_URL = os.environ.get("SHOP_TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]
TOKEN = "outage-test-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}


class Running:
    """A launched variant's processes, with a hand on each of them."""

    def __init__(self, supervisor: Supervisor, port: int, logs: list[tuple[str, str]]):
        self.supervisor = supervisor
        self.logs = logs  # (process name, line), in the order each process wrote them
        self.url = f"http://127.0.0.1:{port}"
        self.http = requests.Session()

    def child(self, name: str):
        return [child for process, child in self.supervisor.children if process.name == name][-1]

    def stop(self, name: str) -> None:
        self.supervisor.stop_process(name)  # on purpose: it stays stopped until restarted

    def restart(self, name: str) -> None:
        process = next(p for p, _ in self.supervisor.children if p.name == name)
        self.supervisor.start(process)
        wait_for(lambda: _healthy(process.health_url), 30, f"{name} did not come back")

    def signal(self, name: str, signum: int) -> None:
        os.killpg(self.child(name).pid, signum)  # gunicorn's master and its workers

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.http.request(method, self.url + path, timeout=10, **kwargs)

    def new_product(self, stock: int) -> str:
        sku = f"OUT-{uuid.uuid4().hex[:12].upper()}"
        body = {"sku": sku, "name": "Outage mug", "price_cents": 300, "stock": stock}
        response = self.call("POST", "/products", json=body, headers=ADMIN)
        assert response.status_code == 201, response.text
        return sku

    def stock(self, sku: str) -> int:
        response = self.call("GET", f"/products/{sku}")
        assert response.status_code == 200, response.text
        return response.json()["stock"]

    def orders_of(self, email: str) -> list[dict]:
        response = self.call("GET", "/orders", params={"customer_email": email}, headers=ADMIN)
        assert response.status_code == 200, response.text
        return response.json()["items"]


def drain(name: str, stream) -> None:
    """Stands in for the launcher's log relay where a test wants the lines read, not printed: a
    child whose output nobody reads blocks once the pipe is full."""
    for _ in stream:
        pass


@contextlib.contextmanager
def launched(variant: str, monkeypatch, env: dict[str, str]):
    """(supervisor, port, logs) of the variant, healthy; every process stopped afterwards."""
    logs: list[tuple[str, str]] = []

    def keep(name: str, stream) -> None:
        for line in stream:
            logs.append((name, line))
    # The tests read the processes' logs, so keep the lines instead of printing them.
    monkeypatch.setattr(processes, "_relay", keep)
    port = free_base_port()
    supervisor = Supervisor(os.environ | {"SHOP_ADMIN_TOKEN": TOKEN, "PYTHONUNBUFFERED": "1"} | env)
    try:
        for process in VARIANTS[variant].processes(port):
            supervisor.start(process)
        supervisor.wait_healthy()
        yield supervisor, port, logs
    finally:
        supervisor.stop()  # paused ones included


def database_env(request, tmp_path) -> dict[str, str]:
    """SHOP_DATA_DIR, and DATABASE_URL for a fresh PostgreSQL database on the postgres run
    (an inherited DATABASE_URL never redirects a SQLite run)."""
    env = {"SHOP_DATA_DIR": str(tmp_path), "DATABASE_URL": None}
    if request.param == "postgres":
        env["DATABASE_URL"] = request.getfixturevalue("postgres_databases").create()
    return env


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

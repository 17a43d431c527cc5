"""The serverless variant as `shop up` runs it: the runner refuses to start without a token or
with a real AWS endpoint; when the local AWS is down or hung, every request that needs it gets
a prompt 503 while the rest keeps answering; and the data survives a restart, with the orders
table's stream on again, announcing what changes after it."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from launcher import processes
from launcher.processes import Supervisor
from launcher.variants import VARIANTS, local_aws
from tests.contract.launch import free_base_port
from tests.integration.running import drain

TOKEN = "serverless-runner-test-token"
SECRET = "serverless-runner-test-aws-secret"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}


def run_runner(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "serverless.runner", "--port", str(free_base_port())],
                          env=env, capture_output=True, text=True, timeout=30, check=False)


def environment(endpoint: str | None, **extra) -> dict:
    """The launcher's local AWS settings, None meaning "left out", as Supervisor does."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SHOP_"))}
    settings = local_aws(endpoint or "", SECRET) | {"AWS_ENDPOINT_URL": endpoint} | extra
    return env | {k: v for k, v in settings.items() if v is not None}


def test_the_runner_refuses_to_start_without_an_admin_token():
    result = run_runner(environment("http://127.0.0.1:9"))
    assert result.returncode != 0 and "SHOP_ADMIN_TOKEN is not set" in result.stderr


@pytest.mark.parametrize("endpoint", [None, "https://dynamodb.us-east-1.amazonaws.com"])
def test_the_runner_refuses_any_aws_but_a_local_one(endpoint):
    result = run_runner(environment(endpoint, SHOP_ADMIN_TOKEN=TOKEN))
    assert result.returncode != 0 and "AWS_ENDPOINT_URL is" in result.stderr


class Running:
    def __init__(self, supervisor: Supervisor, port: int):
        self.supervisor, self.url, self.http = supervisor, f"http://127.0.0.1:{port}", requests.Session()

    def aws(self) -> subprocess.Popen:
        return next(child for process, child in self.supervisor.children
                    if process.name == "serverless-aws")

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.http.request(method, self.url + path, timeout=30, **kwargs)


@contextlib.contextmanager
def launched(data_dir: Path):
    """The processes `shop up serverless` runs, on free ports, with their data in data_dir."""
    port = free_base_port()
    supervisor = Supervisor(os.environ | {"SHOP_ADMIN_TOKEN": TOKEN, "SHOP_DATA_DIR": str(data_dir),
                                          "PYTHONUNBUFFERED": "1"})
    try:
        for process in VARIANTS["serverless"].processes(port):
            supervisor.start(process)
        supervisor.wait_healthy()
        yield Running(supervisor, port)
    finally:
        for _, child in supervisor.children:  # a paused process would not act on SIGTERM
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGCONT)
        supervisor.stop()


@pytest.fixture
def running(tmp_path, monkeypatch):
    monkeypatch.setattr(processes, "_relay", drain)
    with launched(tmp_path) as running:
        yield running


def assert_prompt_503(running: Running, method: str, path: str, within: float, **kwargs) -> None:
    started = time.monotonic()
    response = running.call(method, path, headers={"X-Request-Id": "outage-1"} | kwargs.pop("headers", {}),
                            **kwargs)
    elapsed = time.monotonic() - started
    assert response.status_code == 503, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "service_unavailable"
    assert response.headers["X-Request-Id"] == "outage-1"
    assert elapsed < within, f"{method} {path} took {elapsed:.1f} s"


def an_order(sku: str) -> dict:
    return {"customer_email": "ada@example.com", "items": [{"sku": sku, "quantity": 1}],
            "payment_method": "pm_card_visa"}


def test_with_the_local_aws_gone_requests_get_a_prompt_503(running):
    sku = f"AWS-{uuid.uuid4().hex[:10].upper()}"
    body = {"sku": sku, "name": "Outage mug", "price_cents": 300, "stock": 3}
    assert running.call("POST", "/products", json=body, headers=ADMIN).status_code == 201
    running.aws().terminate()
    running.aws().wait(timeout=15)
    assert_prompt_503(running, "GET", f"/products/{sku}", within=3)
    assert_prompt_503(running, "POST", "/orders", within=3, json=an_order(sku),
                      headers={"Idempotency-Key": "outage-key"})
    assert running.call("GET", "/health").status_code == 200  # the runner itself is fine


def test_with_the_local_aws_hung_requests_get_a_503_inside_the_functions_timeout(running):
    os.killpg(running.aws().pid, signal.SIGSTOP)
    # Three tries of a 2 s read timeout: under the 10 s Timeout the functions have on AWS.
    assert_prompt_503(running, "GET", "/products", within=10)


def notified(shop, order_id: str, count: int) -> list[str]:
    """The kinds of an order's notifications once `count` have arrived, and half a second on."""
    deadline = time.monotonic() + 10
    while len(_kinds(shop, order_id)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # long enough for a duplicate to show
    return _kinds(shop, order_id)


def _kinds(shop, order_id: str) -> list[str]:
    answer = shop.call("GET", "/notifications", params={"order_id": order_id}, headers=ADMIN)
    return [n["kind"] for n in answer.json()["items"]]


def test_the_data_survives_a_restart(tmp_path, monkeypatch):
    monkeypatch.setattr(processes, "_relay", drain)
    sku = f"KEEP-{uuid.uuid4().hex[:10].upper()}"
    with launched(tmp_path) as first:
        body = {"sku": sku, "name": "Kept mug", "price_cents": 300, "stock": 3}
        assert first.call("POST", "/products", json=body, headers=ADMIN).status_code == 201
        placed = first.call("POST", "/orders", json=an_order(sku), headers={"Idempotency-Key": sku})
        assert placed.status_code == 201
        assert notified(first, placed.json()["id"], 1) == ["order_confirmed"]
    with launched(tmp_path) as second:
        assert second.call("GET", f"/products/{sku}").json()["stock"] == 2
        replayed = second.call("POST", "/orders", json=an_order(sku), headers={"Idempotency-Key": sku})
        assert (replayed.status_code, replayed.json()) == (201, placed.json())
        again = second.call("POST", "/orders", json=an_order(sku))
        listed = second.call("GET", "/orders", params={"customer_email": "ada@example.com"},
                             headers=ADMIN).json()["items"]
        assert [o["id"] for o in listed][:2] == [again.json()["id"], placed.json()["id"]]
        # The stream is on again after the restart: a change to a loaded order is announced,
        # and nothing is stored twice.
        assert notified(second, again.json()["id"], 1) == ["order_confirmed"]
        assert second.call("POST", f"/orders/{placed.json()['id']}/cancel").status_code == 200
        assert notified(second, placed.json()["id"], 2) == ["order_confirmed", "order_cancelled"]

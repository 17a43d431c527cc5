"""kill -9 of the serverless variant's processes, as `shop up serverless` runs them: the local AWS
loses no write it acknowledged (items, the stream and its numbering, queued messages), and the
runner, killed before its event sources caught up, loses no notification and sends none twice."""

import os
import signal
import time
import uuid

import requests

from launcher import processes
from tests.integration.running import drain
from tests.integration.test_serverless_runner import ADMIN, an_order, launched, notified


def end(running, name: str, how: int) -> None:
    child = next(c for p, c in reversed(running.supervisor.children) if p.name == name)
    os.killpg(child.pid, how)
    os.killpg(child.pid, signal.SIGCONT)  # a paused process acts on SIGTERM once resumed
    child.wait(timeout=15)


def start(running, name: str) -> None:
    """Start it again on the same data, as a supervisor would, and wait until it is healthy."""
    process = next(p for p, _ in running.supervisor.children if p.name == name)
    running.supervisor.start(process)
    deadline = time.monotonic() + 30
    while not _healthy(process.health_url):
        assert time.monotonic() < deadline, f"{name} did not come back"
        time.sleep(0.1)


def _healthy(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


def new_product(running, stock: int) -> str:
    sku = f"KILL-{uuid.uuid4().hex[:10].upper()}"
    body = {"sku": sku, "name": "Kill mug", "price_cents": 300, "stock": stock}
    assert running.call("POST", "/products", json=body, headers=ADMIN).status_code == 201
    return sku


def place(running, sku: str, key: str) -> dict:
    placed = running.call("POST", "/orders", json=an_order(sku), headers={"Idempotency-Key": key})
    assert placed.status_code == 201, placed.text
    return placed.json()


def test_a_killed_local_aws_keeps_every_acknowledged_write(tmp_path, monkeypatch):
    monkeypatch.setattr(processes, "_relay", drain)
    with launched(tmp_path) as running:
        sku = new_product(running, stock=10)
        orders = [place(running, sku, f"{sku}-{n}") for n in range(4)]
        assert running.call("POST", f"/orders/{orders[0]['id']}/cancel").status_code == 200
        restock = running.call("POST", f"/products/{sku}/restock", json={"quantity": 5}, headers=ADMIN)
        assert restock.status_code == 200, restock.text
        end(running, "serverless-aws", signal.SIGKILL)
        start(running, "serverless-aws")

        assert running.call("GET", f"/products/{sku}").json()["stock"] == 10 - 4 + 1 + 5
        for n, order in enumerate(orders):  # every order kept, and its key's answer
            replayed = running.call("POST", "/orders", json=an_order(sku),
                                    headers={"Idempotency-Key": f"{sku}-{n}"})
            assert replayed.status_code == 201 and replayed.json()["id"] == order["id"]
        assert running.call("GET", f"/orders/{orders[0]['id']}").json()["status"] == "cancelled"
        # The stream goes on: the orders before the kill announced once, and one after it too.
        later = place(running, sku, f"{sku}-later")
        assert notified(running, later["id"], 1) == ["order_confirmed"]
        assert notified(running, orders[0]["id"], 2) == ["order_confirmed", "order_cancelled"]
        for order in orders[1:]:
            assert notified(running, order["id"], 1) == ["order_confirmed"]


def test_a_runner_killed_before_its_event_sources_caught_up_loses_no_notification(tmp_path, monkeypatch):
    monkeypatch.setattr(processes, "_relay", drain)
    with launched(tmp_path) as running:
        sku = new_product(running, stock=20)
        confirmed = [place(running, sku, f"{sku}-{n}") for n in range(3)]
        assert running.call("POST", f"/orders/{confirmed[0]['id']}/cancel").status_code == 200
        confirmed += [place(running, sku, f"{sku}-{n}") for n in range(3, 6)]
        runner = next(c for p, c in reversed(running.supervisor.children) if p.name == "serverless")
        os.killpg(runner.pid, signal.SIGSTOP)  # right after the 201: the stream not read yet
        end(running, "serverless", signal.SIGKILL)
        # The local AWS stopped cleanly and started again meanwhile, as `shop up` did when a
        # process died: the runner must find its place in the stream it left.
        end(running, "serverless-aws", signal.SIGTERM)
        start(running, "serverless-aws")
        start(running, "serverless")

        assert notified(running, confirmed[0]["id"], 2) == ["order_confirmed", "order_cancelled"]
        for order in confirmed[1:]:
            assert notified(running, order["id"], 1) == ["order_confirmed"], order["id"]

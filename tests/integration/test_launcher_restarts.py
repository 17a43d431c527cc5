"""`shop up` as a container runtime: a process killed with kill -9 is restarted while the others
keep serving, a gunicorn master's workers die with it, and one stopped on purpose stays stopped."""

import os
import signal
import socket
import subprocess
import sys
import threading
import uuid

import pytest
import requests

from launcher import processes
from launcher.processes import Supervisor
from launcher.variants import MICROSERVICES, Process
from tests.contract.launch import LaunchedVariant, free_base_port
from tests.integration.process_tree import alive, child_running, children_of
from tests.integration.running import drain, wait_for

pytestmark = pytest.mark.skipif(sys.platform != "linux",
                                reason="reads /proc; the parent-death signal is Linux's")
TOKEN = "restart-test-token"


@pytest.fixture
def launch(tmp_path):
    started = []

    def launch(variant: str) -> LaunchedVariant:
        started.append(LaunchedVariant(variant, TOKEN, tmp_path, database_url=None))
        started[-1].wait_until_healthy()
        # Supervised from here on: a death before this would fail the launch instead.
        wait_for(lambda: "The shop is up" in log_of(started[-1]), 10, "never announced")
        return started[-1]
    yield launch
    for launched in started:
        launched.stop()


def log_of(launched: LaunchedVariant) -> str:
    return launched.log_path.read_text(errors="replace")


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


def test_a_killed_master_is_restarted_and_its_workers_free_the_port(launch):
    monolith = launch("monolith")
    master = child_running(monolith.process.pid, f"127.0.0.1:{monolith.port}")
    workers = children_of(master)
    os.kill(master, signal.SIGKILL)

    wait_for(lambda: not any(alive(worker) for worker in workers), 1, "a worker outlived its master")
    wait_for(lambda: answers(monolith.base_url + "/products"), 10, "the monolith did not come back")
    assert "monolith exited (SIGKILL); restart 1 in 0.5 s" in log_of(monolith)
    assert child_running(monolith.process.pid, f"127.0.0.1:{monolith.port}") != master


def test_a_killed_service_and_relay_come_back_while_the_gateway_serves_reads(launch):
    shop = launch("microservices")
    payments_port = shop.port + 1 + MICROSERVICES.index("payments")
    reads, back = [], threading.Event()

    def browse() -> None:
        while not back.is_set():
            reads.append(requests.get(shop.base_url + "/products", timeout=5).status_code)
            back.wait(0.05)
    browsing = threading.Thread(target=browse)
    browsing.start()
    try:
        os.kill(child_running(shop.process.pid, f"127.0.0.1:{payments_port}"), signal.SIGKILL)
        wait_for(lambda: "payments is back" in log_of(shop), 15, "payments did not come back")
    finally:
        back.set()
        browsing.join()
    assert "payments exited (SIGKILL); restart 1" in log_of(shop)
    assert reads and set(reads) == {200}, "the gateway stopped serving reads meanwhile"
    assert place_an_order(shop.base_url) == 201

    relay = child_running(shop.process.pid, "microservices.orders.relay")
    os.kill(relay, signal.SIGKILL)
    wait_for(lambda: "relay is back" in log_of(shop), 10, "the relay did not come back")
    assert "relay exited (SIGKILL); restart 1" in log_of(shop)
    assert child_running(shop.process.pid, "microservices.orders.relay") != relay


def place_an_order(url: str) -> int:
    sku = f"RST-{uuid.uuid4().hex[:8].upper()}"
    product = {"sku": sku, "name": "Mug", "price_cents": 300, "stock": 5}
    assert requests.post(url + "/products", json=product, timeout=10,
                         headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 201
    order = {"customer_email": "a@example.com", "items": [{"sku": sku, "quantity": 1}],
             "payment_method": "pm_card_visa"}
    return requests.post(url + "/orders", json=order, timeout=10).status_code


def test_a_worker_never_outlives_its_master_even_without_the_launcher(tmp_path):
    port = free_base_port()
    env = os.environ | {"SHOP_ADMIN_TOKEN": TOKEN, "SHOP_DATA_DIR": str(tmp_path)}
    master = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:launcher.gunicorn_conf",
         "monolith.app:create_app()", "--bind", f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: answers(f"http://127.0.0.1:{port}/health"), 30, "gunicorn did not start")
        workers = children_of(master.pid)
        assert len(workers) == 2
        master.kill()
        master.wait()
        wait_for(lambda: not any(alive(worker) for worker in workers), 1, "a worker outlived its master")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))  # free for the next master at once
    finally:
        os.killpg(master.pid, signal.SIGKILL)


def test_the_supervisor_restarts_a_dead_process_but_not_one_stopped_on_purpose(monkeypatch):
    monkeypatch.setattr(processes, "_relay", drain)
    lines = []
    supervisor = Supervisor(dict(os.environ), log=lines.append)
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    for name in ("kept", "stopped"):
        supervisor.start(Process(name, sleeper, None))
    supervisor.wait_healthy()
    supervising = threading.Thread(target=supervisor.supervise)
    supervising.start()
    try:
        first = {status.name: status.pid for status in supervisor.statuses()}
        supervisor.stop_process("stopped")
        supervisor.send_signal("kept", signal.SIGKILL)
        wait_for(lambda: "kept is back" in " ".join(lines), 5, "kept was not restarted")
        status = {status.name: status for status in supervisor.statuses()}
        assert (status["kept"].state, status["kept"].restarts) == ("running", 1)
        assert status["kept"].pid != first["kept"]
        assert (status["stopped"].state, status["stopped"].restarts) == ("stopped", 0)
        assert lines[0] == "kept exited (SIGKILL); restart 1 in 0.5 s"
    finally:
        supervisor.request_stop()
        supervising.join()
        supervisor.stop()

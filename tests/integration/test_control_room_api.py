"""The control room's API over real HTTP, on a real `shop up monolith`: what it lists, what each
action does to the real process, faults seen in the answers and the traces, logs, and the
refusal of every call that is cross-site or lacks the control token."""

import os
import signal
import time
from pathlib import Path

import pytest
import requests

from tests.contract.launch import LaunchedVariant

CONTROL_TOKEN = "control-room-test-token"
SIGNED = {"X-Control-Token": CONTROL_TOKEN}


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    launched = LaunchedVariant("monolith", "room-admin-token", tmp_path_factory.mktemp("room"), None,
                               env={"SHOP_CONTROL_TOKEN": CONTROL_TOKEN, "OTEL_BSP_SCHEDULE_DELAY": "100"})
    launched.wait_until_healthy()
    yield launched
    launched.stop()


def process(shop) -> dict:
    [variant] = requests.get(f"{shop.control_url}/api/variants", timeout=5).json()
    return variant["processes"][0]


def act(shop, action: str, **kwargs) -> requests.Response:
    return requests.post(f"{shop.control_url}/api/processes/monolith/{action}", timeout=30, **kwargs)


def wait_for(state: str, shop, seconds: float = 30, not_pid: int | None = None) -> dict:
    deadline = time.monotonic() + seconds
    while ((found := process(shop))["state"] != state or found["pid"] == not_pid) \
            and time.monotonic() < deadline:
        time.sleep(0.2)
    assert found["state"] == state, found
    return found


def test_it_lists_the_variant_and_its_process(shop):
    [variant] = requests.get(f"{shop.control_url}/api/variants", timeout=5).json()
    assert (variant["name"], variant["url"]) == ("monolith", shop.base_url)
    found = wait_for("healthy", shop)
    assert (found["name"], found["port"]) == ("monolith", shop.port)
    assert found["pid"] > 0 and found["restarts"] == 0, shop.log()
    assert found["rss_bytes"] > 10_000_000  # gunicorn's master and two workers


@pytest.mark.parametrize("headers, status", [
    ({}, 401),
    ({"X-Control-Token": "not-the-token"}, 401),
    (SIGNED | {"Origin": "http://evil.example"}, 403),
    (SIGNED | {"Origin": "null"}, 403),
    (SIGNED | {"Sec-Fetch-Site": "cross-site"}, 403),
    (SIGNED | {"Host": "rebound.example:80"}, 403),
])
def test_a_call_cross_site_or_without_the_token_is_refused_and_changes_nothing(shop, headers, status):
    before = wait_for("healthy", shop)
    answer = act(shop, "kill", headers=headers)
    assert answer.status_code == status
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.json()["status"] == status
    assert process(shop)["pid"] == before["pid"] and process(shop)["restarts"] == before["restarts"]


def test_pause_and_resume(shop):
    wait_for("healthy", shop)
    assert act(shop, "pause", headers=SIGNED).status_code == 200
    wait_for("paused", shop, 5)
    with pytest.raises(requests.Timeout):
        requests.get(f"{shop.base_url}/products", timeout=1)
    assert act(shop, "resume", headers=SIGNED).status_code == 200
    assert requests.get(f"{shop.base_url}/products", timeout=10).status_code == 200


def test_a_process_that_stops_answering_shows_as_unhealthy_until_it_answers(shop):
    master = wait_for("healthy", shop)["pid"]
    workers = [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    for pid in workers:  # hung workers, behind a master that is still alive
        os.kill(pid, signal.SIGSTOP)
    try:
        wait_for("unhealthy", shop, 10)
    finally:
        for pid in workers:
            os.kill(pid, signal.SIGCONT)
    wait_for("healthy", shop, 10)


def test_a_stopped_process_stays_stopped_until_started(shop):
    wait_for("healthy", shop)
    assert act(shop, "stop", headers=SIGNED).status_code == 200
    time.sleep(2)  # longer than the restart policy's first backoff
    stopped = wait_for("stopped", shop, 1)
    assert stopped["pid"] is None
    assert act(shop, "pause", headers=SIGNED).status_code == 409
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{shop.base_url}/products", timeout=2)
    assert act(shop, "start", headers=SIGNED).status_code == 200
    wait_for("healthy", shop)
    assert act(shop, "start", headers=SIGNED).status_code == 409


def test_a_killed_process_is_restarted_by_the_policy(shop):
    before = wait_for("healthy", shop)
    assert act(shop, "kill", headers=SIGNED).status_code == 200
    after = wait_for("healthy", shop, not_pid=before["pid"])
    assert after["restarts"] == before["restarts"] + 1 and after["pid"] != before["pid"]


def test_faults_show_in_the_answers_and_the_traces_and_one_call_undoes_them(shop):
    wait_for("healthy", shop)
    faults = f"{shop.control_url}/api/processes/monolith/faults"
    assert requests.post(faults, json={"error_rate": 1}, headers=SIGNED, timeout=5).status_code == 200
    time.sleep(0.5)  # a process looks at its faults file at most every 0.2 s
    failed = requests.get(f"{shop.base_url}/products", timeout=5)
    assert failed.status_code == 503 and failed.json()["code"] == "service_unavailable"
    assert process(shop)["faults"] == {"latency_ms": 0, "error_rate": 1.0}

    assert requests.post(faults, json={"latency_ms": 250}, headers=SIGNED, timeout=5).status_code == 200
    time.sleep(0.5)
    slowed = requests.get(f"{shop.base_url}/products", headers={"X-Request-Id": "room-latency"}, timeout=5)
    assert slowed.status_code == 200
    spans = trace_spans(shop, "room-latency")
    [added] = [s for s in spans if s["name"] == "fault: +250 ms"]
    assert added["end"] - added["start"] >= 250_000_000
    assert any(s["name"] == "GET /products" for s in spans)

    assert requests.delete(faults, headers=SIGNED, timeout=5).status_code == 200
    time.sleep(0.5)
    requests.get(f"{shop.base_url}/products", headers={"X-Request-Id": "room-no-fault"}, timeout=5)
    assert not any(s["name"].startswith("fault") for s in trace_spans(shop, "room-no-fault"))


@pytest.mark.parametrize("body", [{"latency_ms": -1}, {"latency_ms": 1.5}, {"error_rate": 2},
                                  {"slow": True}, [1], "nonsense"])
def test_bad_faults_are_problems_and_change_nothing(shop, body):
    faults = f"{shop.control_url}/api/processes/monolith/faults"
    answer = requests.post(faults, json=body, headers=SIGNED, timeout=5)
    assert (answer.status_code, answer.headers["Content-Type"]) == (400, "application/problem+json")
    assert process(shop)["faults"] == {"latency_ms": 0, "error_rate": 0.0}


def test_unknown_processes_and_actions_are_404(shop):
    nobody = f"{shop.control_url}/api/processes/nobody/kill"
    assert requests.post(nobody, headers=SIGNED, timeout=5).status_code == 404
    assert act(shop, "explode", headers=SIGNED).status_code == 404


def test_logs_keep_each_request_by_its_id(shop):
    wait_for("healthy", shop)
    requests.get(f"{shop.base_url}/products", headers={"X-Request-Id": "room-log-line"}, timeout=5)
    logs = f"{shop.control_url}/api/logs/monolith"
    assert requests.get(logs, timeout=5).status_code == 401
    deadline = time.monotonic() + 5
    while not (lines := requests.get(logs, params={"request_id": "room-log-line"}, headers=SIGNED,
                                     timeout=5).json()["lines"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    [line] = lines
    assert '"GET /products HTTP/1.1" 200' in line["line"] and line["request_id"] == "room-log-line"
    newer = requests.get(logs, params={"after": line["n"]}, headers=SIGNED, timeout=5).json()["lines"]
    assert all(later["n"] > line["n"] for later in newer)


def test_the_storefront_passes_calls_through_with_the_token_only(shop):
    products = f"{shop.control_url}/api/shop/monolith/products"
    assert requests.get(products, timeout=5).status_code == 401
    answer = requests.get(products, headers=SIGNED, timeout=5)
    assert answer.status_code == 200 and "items" in answer.json()
    nowhere = f"{shop.control_url}/api/shop/nowhere/products"
    assert requests.get(nowhere, headers=SIGNED, timeout=5).status_code == 404


def trace_spans(shop, request_id: str) -> list[dict]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = requests.get(f"{shop.control_url}/api/traces", params={"request_id": request_id}, timeout=5)
        if items := found.json()["items"]:
            time.sleep(0.5)  # the rest of the trace's spans, in the next batch if not this one
            trace = f"{shop.control_url}/api/traces/{items[0]['trace_id']}"
            return requests.get(trace, timeout=5).json()["spans"]
        time.sleep(0.2)
    raise AssertionError(f"no trace of {request_id}")

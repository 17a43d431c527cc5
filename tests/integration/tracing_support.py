"""A launched variant's traces, read from its launcher's trace API: placing and cancelling an
order with a chosen request id, then waiting until its trace holds what the test expects."""

import subprocess
import sys
import time
import uuid

import requests

from tests.contract.launch import CONTROL_PORT_OFFSET, REPO_ROOT, LaunchedVariant

TOKEN = "tracing-test-token"
ASYNC_SECONDS = 10  # the asynchronous part of a trace (relay, stream, queue) arrives within this


class Traced:
    """A variant launched by `shop up` with its receiver on the control port."""

    def __init__(self, variant: str, data_dir, env: dict | None = None):
        self.launched = LaunchedVariant(variant, TOKEN, data_dir, None, env)
        self.launched.wait_until_healthy()
        self.url, self.control = self.launched.base_url, self.launched.control_url
        self.http = requests.Session()

    def stop(self) -> None:
        self.launched.stop()

    def new_product(self) -> str:
        sku = f"TRACE-{uuid.uuid4().hex[:10].upper()}"
        body = {"sku": sku, "name": "Traced mug", "price_cents": 500, "stock": 10}
        response = self.http.post(f"{self.url}/products", json=body, timeout=10,
                                  headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 201, response.text
        return sku

    def place_order(self, sku: str, rid: str) -> dict:
        body = {"customer_email": "trace@example.com", "items": [{"sku": sku, "quantity": 1}],
                "payment_method": "pm_card_visa"}
        response = self.http.post(f"{self.url}/orders", json=body, timeout=10, headers={
            "X-Request-Id": rid, "Idempotency-Key": uuid.uuid4().hex})
        assert response.status_code == 201, response.text
        assert response.headers["X-Request-Id"] == rid
        return response.json()

    def cancel(self, order_id: str, rid: str) -> None:
        response = self.http.post(f"{self.url}/orders/{order_id}/cancel", timeout=10,
                                  headers={"X-Request-Id": rid})
        assert response.status_code == 200, response.text

    def traces_of(self, rid: str) -> list[dict]:
        response = self.http.get(f"{self.control}/api/traces", params={"request_id": rid}, timeout=5)
        assert response.status_code == 200, response.text
        return response.json()["items"]

    def shop_trace(self, rid: str) -> str:
        """What `shop trace RID` prints."""
        port = str(self.launched.port + CONTROL_PORT_OFFSET)
        done = subprocess.run([sys.executable, "-m", "launcher", "trace", rid, "--control-port", port],
                              cwd=REPO_ROOT, capture_output=True, text=True, timeout=30, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def spans(self, trace_id: str) -> list[dict]:
        response = self.http.get(f"{self.control}/api/traces/{trace_id}", timeout=5)
        assert response.status_code == 200, response.text
        return response.json()["spans"]

    def trace_until(self, rid: str, complete) -> list[dict]:
        """The spans of the one trace of request `rid`, once `complete(spans)` holds; the last
        spans seen, failing, if it does not within ASYNC_SECONDS."""
        deadline, spans = time.monotonic() + ASYNC_SECONDS, []
        while time.monotonic() < deadline:
            found = self.traces_of(rid)
            assert len(found) <= 1, f"request {rid} is in {len(found)} traces: {found}"
            if found and complete(spans := self.spans(found[0]["trace_id"])):
                return spans
            time.sleep(0.2)
        raise AssertionError(f"the trace of {rid} did not complete: {describe(spans)}")


def services(spans: list[dict]) -> set[str]:
    return {span["service"] for span in spans}


def describe(spans: list[dict]) -> list[str]:
    return [f"{s['service']}: {s['name']} ({s['kind']})" for s in spans]


def assert_one_tree(spans: list[dict], rid: str) -> dict:
    """One root, the entry's server span carrying the request id; every other span's parent is
    in the trace, and a server span's parent is a client or producer span (a hop between
    processes); returns the root."""
    by_id = {span["span_id"]: span for span in spans}
    roots = [span for span in spans if span["parent_id"] is None]
    assert len(roots) == 1, describe(roots)
    root = roots[0]
    assert root["kind"] == "server" and root["attributes"]["shop.request_id"] == rid, root
    for span in spans:
        if span is not root:
            assert span["parent_id"] in by_id, f"{span['name']}'s parent is not in the trace"
        parent = by_id.get(span["parent_id"])
        if span["kind"] == "server" and parent is not None:
            assert parent["kind"] in ("client", "producer", "server"), (span, parent)
    return root

"""The launcher's control port over real HTTP: OTLP/HTTP exports in (JSON, gzip-compressed
protobuf as an SDK may send), the trace API out, and bad requests answered as Problem Details."""

import gzip
import json

import pytest
import requests
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans

from launcher import telemetry
from launcher.control import ControlServer
from tests.unit.test_tracing import _sdk_spans

JSON_EXPORT = {"resourceSpans": [{"resource": {"attributes": [
    {"key": "service.name", "value": {"stringValue": "services-storefront"}},
    {"key": "service.namespace", "value": {"stringValue": "services"}}]},
    "scopeSpans": [{"spans": [{"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174",
                               "name": "POST /orders", "kind": 2, "startTimeUnixNano": "1000",
                               "endTimeUnixNano": "5000", "attributes": [
                                   {"key": "shop.request_id", "value": {"stringValue": "rid-json"}}]}]}]}]}


@pytest.fixture
def control():
    server = ControlServer(0).start()
    yield server
    server.stop()


def test_it_listens_on_loopback_only(control):
    assert control.server.server_address[0] == "127.0.0.1"


def test_exports_in_traces_out(control):
    sent = requests.post(f"{control.url}/v1/traces", json=JSON_EXPORT, timeout=5)
    assert (sent.status_code, sent.json()) == (200, {})
    body = gzip.compress(encode_spans(_sdk_spans()).SerializeToString())
    sent = requests.post(f"{control.url}/v1/traces", data=body, timeout=5, headers={
        "Content-Type": "application/x-protobuf", "Content-Encoding": "gzip"})
    assert (sent.status_code, sent.headers["Content-Type"]) == (200, "application/x-protobuf")

    listed = requests.get(f"{control.url}/api/traces", timeout=5).json()["items"]
    assert [t["variant"] for t in listed] == ["monolith", "services"]  # newest first
    [found] = requests.get(f"{control.url}/api/traces", params={"request_id": "rid-json"},
                           timeout=5).json()["items"]
    assert found == {"trace_id": "5b8efff798038103d269b633813fc60c", "variant": "services",
                     "root": "POST /orders", "service": "services-storefront", "status": "unset",
                     "http_status": None, "request_id": "rid-json", "start": 1000,
                     "duration_ns": 4000, "span_count": 1}
    detail = requests.get(f"{control.url}/api/traces/{found['trace_id'].upper()}", timeout=5).json()
    assert [s["span_id"] for s in detail["spans"]] == ["eee19b7ec3c1b174"]
    by_variant = requests.get(f"{control.url}/api/traces", params={"variant": "monolith"}, timeout=5)
    assert by_variant.json()["items"][0]["span_count"] == 2


@pytest.mark.parametrize("method, path, kwargs, status", [
    ("POST", "/v1/traces", {"data": b"{", "headers": {"Content-Type": "application/json"}}, 400),
    ("POST", "/v1/traces", {"data": b"\xff\xff", "headers": {"Content-Type": "application/x-protobuf"}}, 400),
    ("GET", "/api/traces?limit=0", {}, 400),
    ("GET", "/api/traces?limit=many", {}, 400),
    ("GET", "/api/traces/0123456789abcdef0123456789abcdef", {}, 404),
])
def test_bad_requests_are_problems_and_change_nothing(control, method, path, kwargs, status):
    answer = requests.request(method, control.url + path, timeout=5, **kwargs)
    assert answer.status_code == status
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert json.loads(answer.text)["status"] == status
    assert requests.get(f"{control.url}/api/traces", timeout=5).json()["items"] == []


def test_a_taken_control_port_means_no_receiver_and_so_no_tracing(control, capsys):
    assert telemetry.start_receiver(control.port) is None
    assert f"control port {control.port} is not free" in capsys.readouterr().err
    assert telemetry.child_env(None, {}) == {}  # the processes are pointed nowhere: tracing off

"""The tracing tools around the variants, without I/O: reading OTLP exports (as the SDK's own
encoder writes them, and as OTLP/JSON), keeping traces, drawing waterfalls, and when tracing
is on at all."""

import json

import pytest
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from launcher import otlp, telemetry, waterfall
from launcher.trace_store import TraceStore
from shared import tracing


def _sdk_spans():
    exporter = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": "monolith",
                                                        "service.namespace": "monolith"}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    attributes = {"shop.request_id": "rid-1", "http.status_code": 201}
    with (tracer.start_as_current_span("POST /orders", kind=SpanKind.SERVER, attributes=attributes),
          tracer.start_as_current_span("INSERT monolith.db", kind=SpanKind.CLIENT) as child):
        child.set_status(StatusCode.ERROR)
    return exporter.get_finished_spans()


def test_a_protobuf_export_from_the_sdk_is_read_span_by_span():
    sent = _sdk_spans()
    body = encode_spans(sent).SerializeToString()

    server, statement = sorted(otlp.spans(body, "application/x-protobuf"), key=lambda s: s["start"])

    assert server["trace_id"] == f"{sent[0].context.trace_id:032x}" == statement["trace_id"]
    assert statement["parent_id"] == server["span_id"] and server["parent_id"] is None
    assert (server["service"], server["variant"], server["kind"]) == ("monolith", "monolith", "server")
    assert server["attributes"] == {"shop.request_id": "rid-1", "http.status_code": 201}
    assert (statement["kind"], statement["status"]) == ("client", "error")
    assert 0 < server["start"] <= statement["start"] <= statement["end"] <= server["end"]


def test_an_otlp_json_export_has_hex_ids():
    body = json.dumps({"resourceSpans": [{"resource": {"attributes": [
        {"key": "service.name", "value": {"stringValue": "services-orders"}}]},
        "scopeSpans": [{"spans": [{"traceId": "5B8EFFF798038103D269B633813FC60C",
                                   "spanId": "EEE19B7EC3C1B174", "name": "GET /orders",
                                   "kind": 2, "startTimeUnixNano": "1", "endTimeUnixNano": "3",
                                   "attributes": [{"key": "n", "value": {"intValue": "7"}}]}]}]}]})

    [span] = otlp.spans(body.encode(), "application/json")

    assert (span["trace_id"], span["span_id"]) == ("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174")
    assert (span["service"], span["kind"], span["attributes"], span["end"]) == (
        "services-orders", "server", {"n": 7}, 3)


@pytest.mark.parametrize("body, content_type", [(b"\xff\x00garbage", "application/x-protobuf"),
                                                (b"[1]", "application/json"), (b"{", "application/json")])
def test_what_is_not_an_export_is_refused(body, content_type):
    with pytest.raises(ValueError):
        otlp.spans(body, content_type)


def _span(trace_id, span_id, parent=None, start=0, rid=None, service="monolith"):
    return {"trace_id": trace_id, "span_id": span_id, "parent_id": parent, "service": service,
            "variant": None, "name": f"span {span_id}", "kind": "server", "start": start,
            "end": start + 10, "status": "unset",
            "attributes": {"shop.request_id": rid, "http.status_code": 201} if rid else {}}


def test_the_store_keeps_the_most_recent_traces_and_lists_them_newest_first():
    store = TraceStore(max_traces=3)
    for n in range(5):
        store.add([_span(f"t{n}", f"s{n}", start=n, rid=f"r{n}")])
    store.add([_span("t2", "child", parent="s2", start=9, service="services-orders")])

    assert [t["trace_id"] for t in store.summaries()] == ["t4", "t3", "t2"]
    assert store.spans("t0") is None
    [summary] = store.summaries(request_id="r2")
    assert (summary["root"], summary["span_count"], summary["duration_ns"]) == ("span s2", 2, 17)
    assert (summary["http_status"], summary["request_id"]) == (201, "r2")
    assert summary["variant"] == "monolith" and store.summaries(variant="services") == []
    assert store.summaries(limit=1)[0]["trace_id"] == "t4"


def test_a_waterfall_indents_children_under_their_parents_on_one_time_scale():
    spans = [_span("t", "a", start=0), _span("t", "b", parent="a", start=5),
             _span("t", "c", parent="b", start=6), _span("t", "d", parent="a", start=8)]
    spans[0]["end"] = 20

    lines = waterfall.render(spans, width=20).splitlines()[1:]

    assert [line.split()[:2] for line in lines] == [["monolith", "span"]] * 4
    assert [len(line) - len(line.lstrip()) for line in lines] == [0, 2, 4, 2]
    assert lines[0].endswith("|" + "█" * 20 + "|")
    assert lines[1].endswith("|" + " " * 5 + "█" * 10 + " " * 5 + "|")


@pytest.mark.parametrize("environ, on", [
    ({}, False),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:8080"}, True),
    ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:8080/v1/traces"}, True),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://x", "OTEL_SDK_DISABLED": "true"}, False),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://x", "OTEL_TRACES_EXPORTER": "none"}, False),
    ({"OTEL_TRACES_EXPORTER": "console"}, True),
])
def test_tracing_is_on_only_with_somewhere_to_send_spans(environ, on):
    assert tracing.enabled(environ) is on


class _Receiver:
    url = "http://127.0.0.1:8080"


def test_the_launcher_points_processes_at_its_receiver_unless_the_user_chose_an_endpoint():
    assert telemetry.child_env(_Receiver(), {})["OTEL_EXPORTER_OTLP_ENDPOINT"] == _Receiver.url
    assert telemetry.child_env(_Receiver(), {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://jaeger:4318"}) == {}
    assert telemetry.child_env(None, {}) == {}

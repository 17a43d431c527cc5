"""Standard OTLP, to wherever OTEL_EXPORTER_OTLP_ENDPOINT says: a receiver of the test's own
(plain http.server and the OTLP protobuf messages, nothing of the launcher's) gets the spans of
a variant that `shop up` starts, and the launcher's own receiver none. With no endpoint at all,
an app is not instrumented."""

import http.server
import threading
import time
import uuid

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from monolith.app import create_app
from tests.integration.tracing_support import Traced

TOKEN = "tracing-test-token"


class _Collector(http.server.ThreadingHTTPServer):
    def __init__(self):
        self.exports: list[tuple[str, str, ExportTraceServiceRequest]] = []
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        export = ExportTraceServiceRequest()
        export.ParseFromString(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.exports.append((self.path, self.headers["Content-Type"], export))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def _tagged(exports, rid: str) -> list[tuple[str, str]]:
    """(service.name, span name) of every exported span carrying the request id."""
    found = []
    for _, _, export in exports:
        for resource_spans in export.resource_spans:
            service = next(a.value.string_value for a in resource_spans.resource.attributes
                           if a.key == "service.name")
            found += [(service, span.name) for scope in resource_spans.scope_spans
                      for span in scope.spans
                      if any(a.key == "shop.request_id" and a.value.string_value == rid
                             for a in span.attributes)]
    return found


def test_spans_go_to_the_endpoint_the_user_set(tmp_path):
    collector = _Collector()
    threading.Thread(target=collector.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{collector.server_port}"
    shop = Traced("services", tmp_path, {"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint})
    try:
        rid = f"endpoint-{uuid.uuid4().hex[:12]}"
        shop.place_order(shop.new_product(), rid)
        deadline = time.monotonic() + 10
        while len(_tagged(collector.exports, rid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert sorted(_tagged(collector.exports, rid)) == [
            ("services-orders", "POST /orders"), ("services-storefront", "POST /orders")]
        exported = {(path, kind) for path, kind, _ in collector.exports}
        assert exported == {("/v1/traces", "application/x-protobuf")}
        assert shop.traces_of(rid) == []  # the launcher's receiver was not used
    finally:
        shop.stop()
        collector.shutdown()


def test_with_no_endpoint_an_app_is_not_instrumented(tmp_path, monkeypatch):
    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_TRACES_EXPORTER"):
        monkeypatch.delenv(name, raising=False)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/m.db", "ADMIN_TOKEN": TOKEN,
                      "IDEMPOTENCY_CLAIM_TIMEOUT": 60.0})
    assert not getattr(app, "_is_instrumented_by_opentelemetry", False)
    assert not app.extensions["db"].dispatch.before_cursor_execute  # no SQL tracer listening
    app.extensions["db"].dispose()

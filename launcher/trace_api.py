"""The receiver and the trace API on the launcher's control port: OTLP/HTTP in at /v1/traces
(protobuf or JSON, as every OpenTelemetry SDK sends it), JSON out at /api/traces."""

import gzip

from flask import Blueprint, Response, current_app, jsonify, request
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse

from launcher import otlp
from launcher.trace_store import summary

api = Blueprint("traces", __name__)
MAX_LIMIT = 1000


@api.post("/v1/traces")
def receive():
    body = request.get_data()
    if request.headers.get("Content-Encoding", "").lower() == "gzip":
        body = gzip.decompress(body)
    content_type = request.content_type or "application/x-protobuf"
    try:
        spans = otlp.spans(body, content_type)
    except (ValueError, KeyError, TypeError) as error:
        return _problem(400, "Not an OTLP trace export", str(error))
    current_app.extensions["traces"].add(spans)
    if content_type.startswith("application/json"):
        return jsonify({})
    return Response(ExportTraceServiceResponse().SerializeToString(), mimetype="application/x-protobuf")


@api.get("/api/traces")
def list_traces():
    try:
        limit = int(request.args.get("limit", "50"))
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        return _problem(400, "Invalid limit", f"limit is a whole number from 1 to {MAX_LIMIT}.")
    found = current_app.extensions["traces"].summaries(
        request.args.get("variant") or None, request.args.get("request_id") or None, limit)
    return jsonify({"items": found})


@api.get("/api/traces/<trace_id>")
def get_trace(trace_id: str):
    spans = current_app.extensions["traces"].spans(trace_id.lower())
    if spans is None:
        return _problem(404, "No such trace", f"No trace {trace_id} is kept (the most recent "
                        f"{current_app.extensions['traces'].max_traces} are).")
    return jsonify(summary(spans) | {"spans": spans})


def _problem(status: int, title: str, detail: str) -> Response:
    response = jsonify({"type": "about:blank", "title": title, "status": status, "detail": detail})
    response.status_code, response.mimetype = status, "application/problem+json"
    return response

"""Reading an OTLP/HTTP trace export (ExportTraceServiceRequest), protobuf or JSON, into plain
spans: the shape the launcher's trace API serves (launcher/trace_api.py)."""

import base64
import json

from google.protobuf.json_format import MessageToDict
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

KINDS = {0: "unspecified", 1: "internal", 2: "server", 3: "client", 4: "producer", 5: "consumer"}
STATUSES = {0: "unset", 1: "ok", 2: "error"}


def spans(body: bytes, content_type: str) -> list[dict]:
    """Every span of an export; ValueError when the body is not one."""
    if content_type.split(";")[0].strip().lower() == "application/json":
        return list(_spans(_json(body), _hex_id))
    request = ExportTraceServiceRequest()
    try:
        request.ParseFromString(body)
    except Exception as error:  # protobuf's DecodeError, raised under several names
        raise ValueError(f"not an OTLP protobuf export: {error}") from None
    as_dict = MessageToDict(request, use_integers_for_enums=True)  # bytes as base64, as proto3 JSON
    return list(_spans(as_dict, _base64_id))


def _json(body: bytes) -> dict:
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"not JSON: {error}") from None
    if not isinstance(document, dict):
        raise ValueError("an OTLP export is a JSON object")
    return document


def _spans(export: dict, span_id):
    """OTLP/JSON (hex ids, as the OTLP specification has them) and proto3 JSON (base64 ids)."""
    for resource_spans in export.get("resourceSpans", []):
        resource = attributes(resource_spans.get("resource", {}).get("attributes", []))
        for scope_spans in resource_spans.get("scopeSpans", []):
            for span in scope_spans.get("spans", []):
                yield _span(span, resource, span_id)


def _span(span: dict, resource: dict, span_id) -> dict:
    status = span.get("status", {})
    return {
        "trace_id": span_id(span["traceId"]), "span_id": span_id(span["spanId"]),
        "parent_id": span_id(span.get("parentSpanId", "")) or None,
        "service": resource.get("service.name", "unknown"),
        "variant": resource.get("service.namespace"),
        "name": span.get("name", ""), "kind": KINDS.get(int(span.get("kind", 0)), "unspecified"),
        "start": int(span.get("startTimeUnixNano", 0)), "end": int(span.get("endTimeUnixNano", 0)),
        "status": STATUSES.get(int(status.get("code", 0)), "unset"),
        "status_message": status.get("message", ""),
        "attributes": attributes(span.get("attributes", [])),
        "links": [{"trace_id": span_id(link["traceId"]), "span_id": span_id(link["spanId"])}
                  for link in span.get("links", [])],
        "resource": resource,
    }


def attributes(key_values: list[dict]) -> dict:
    return {kv["key"]: _value(kv.get("value", {})) for kv in key_values}


def _value(value: dict):
    if "arrayValue" in value:
        return [_value(v) for v in value["arrayValue"].get("values", [])]
    if "kvlistValue" in value:
        return attributes(value["kvlistValue"].get("values", []))
    if "intValue" in value:
        return int(value["intValue"])  # a string in JSON: int64 does not fit a JSON number
    for kind in ("stringValue", "boolValue", "doubleValue", "bytesValue"):
        if kind in value:
            return value[kind]
    return None


def _hex_id(value: str) -> str:
    return value.lower()


def _base64_id(value: str) -> str:
    return base64.b64decode(value).hex()

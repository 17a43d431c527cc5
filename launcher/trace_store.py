"""The traces the launcher's receiver has been sent, in memory: the most recent MAX_TRACES,
spans grouped by trace, summed up for the list the trace API serves."""

import threading
from collections import OrderedDict

MAX_TRACES = 1000
REQUEST_ID_ATTRIBUTE = "shop.request_id"  # as shared/tracing.py sets it on a server span


class TraceStore:
    def __init__(self, max_traces: int = MAX_TRACES):
        self.max_traces = max_traces
        self._traces: OrderedDict[str, dict[str, dict]] = OrderedDict()  # least recent first
        self._lock = threading.Lock()

    def add(self, spans: list[dict]) -> None:
        with self._lock:
            for span in spans:
                self._traces.setdefault(span["trace_id"], {})[span["span_id"]] = span
                self._traces.move_to_end(span["trace_id"])
            while len(self._traces) > self.max_traces:
                self._traces.popitem(last=False)

    def spans(self, trace_id: str) -> list[dict] | None:
        with self._lock:
            found = self._traces.get(trace_id)
            return None if found is None else sorted(found.values(), key=lambda s: s["start"])

    def summaries(self, variant: str | None = None, request_id: str | None = None,
                  limit: int = 50) -> list[dict]:
        """Newest first (by the start of their root)."""
        with self._lock:
            traces = [list(spans.values()) for spans in self._traces.values()]
        found = [summary(spans) for spans in traces
                 if request_id is None or _has_request_id(spans, request_id)]
        found = [s for s in found if variant is None or s["variant"] == variant]
        return sorted(found, key=lambda s: s["start"], reverse=True)[:limit]


def root(spans: list[dict]) -> dict:
    """The span without a parent in the trace (the earliest, if the trace has several)."""
    ids = {span["span_id"] for span in spans}
    return min((s for s in spans if s["parent_id"] not in ids), key=lambda s: s["start"],
               default=min(spans, key=lambda s: s["start"]))


def summary(spans: list[dict]) -> dict:
    first = root(spans)
    start, end = min(s["start"] for s in spans), max(s["end"] for s in spans)
    attributes = first["attributes"]
    http_status = attributes.get("http.response.status_code") or attributes.get("http.status_code")
    return {"trace_id": first["trace_id"], "variant": variant_of(first), "root": first["name"],
            "service": first["service"], "status": first["status"], "http_status": http_status,
            "request_id": first["attributes"].get(REQUEST_ID_ATTRIBUTE)
            or next((r for s in spans if (r := s["attributes"].get(REQUEST_ID_ATTRIBUTE))), None),
            "start": start, "duration_ns": end - start, "span_count": len(spans)}


def variant_of(span: dict) -> str:
    """`service.namespace` (the launcher sets it), else the service name up to its first dash."""
    return span.get("variant") or span["service"].split("-")[0]


def _has_request_id(spans: list[dict], request_id: str) -> bool:
    return any(span["attributes"].get(REQUEST_ID_ATTRIBUTE) == request_id for span in spans)

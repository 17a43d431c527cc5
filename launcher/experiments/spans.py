"""A request's spans, read from the trace API on the control port, summed up: which processes
it touched, how often it crossed between them, the database and the queues, and where the
time of its synchronous part went."""

import time

import requests

HTTP_CLIENT = "client"


def of_request(control_url: str, request_id: str, settle: float = 1.0) -> list[dict]:
    """Every span of every trace that carries `request_id`, once no new span came for a while."""
    api, seen, spans = f"{control_url}/api/traces", -1, []
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = requests.get(api, params={"request_id": request_id, "limit": "20"}, timeout=5).json()
        spans = [s for t in found["items"]
                 for s in requests.get(f"{api}/{t['trace_id']}", timeout=5).json()["spans"]]
        if spans and len(spans) == seen:
            return spans
        seen = len(spans)
        time.sleep(settle)
    return spans


def kind(span: dict) -> str:
    attributes = span["attributes"]
    if attributes.get("db.system"):
        return "database"
    if attributes.get("messaging.system") or attributes.get("rpc.service") in ("SQS", "DynamoDBStreams"):
        return "queue"
    if span.get("kind") == HTTP_CLIENT and attributes.get("http.method"):
        return "http"
    return "code"


def counts(spans: list[dict]) -> dict:
    queue_hops = [s for s in spans if kind(s) == "queue" and s.get("kind") in ("producer", "consumer")]
    return {"units": len({s["service"] for s in spans}),
            "calls_between": sum(kind(s) == "http" for s in spans),
            "db_calls": sum(kind(s) == "database" for s in spans),
            "queue_hops": len(queue_hops)}


def split(spans: list[dict]) -> dict:
    """The answer's time (the root server span) by self time: the entry service's own code,
    other services (and the network to them), the database, the queues."""
    by_id = {s["span_id"]: s for s in spans}
    roots = [s for s in spans if s["parent_id"] not in by_id]
    root = min(roots, key=lambda s: s["start"])
    entry = _entry(root, spans)
    inside = _subtree(root, spans)
    parts = {"own_ms": 0.0, "other_services_ms": 0.0, "database_ms": 0.0, "queue_ms": 0.0}
    for span in inside:
        children = [c for c in inside if c["parent_id"] == span["span_id"]]
        own = (span["end"] - span["start"] - sum(c["end"] - c["start"] for c in children)) / 1e6
        what = kind(span)
        key = ("database_ms" if what == "database" else "queue_ms" if what == "queue"
               else "own_ms" if span["service"] == entry and what == "code" else "other_services_ms")
        parts[key] += max(own, 0.0)
    return {"answer_ms": (root["end"] - root["start"]) / 1e6} | parts


def _entry(root: dict, spans: list[dict]) -> str:
    """The service whose code answers: the root's, or the function the local API Gateway invoked."""
    function = next((s for s in spans if s["parent_id"] == root["span_id"]
                     and s["attributes"].get("faas.trigger") == "http"), None)
    return function["service"] if function else root["service"]


def _subtree(root: dict, spans: list[dict]) -> list[dict]:
    """The root and its descendants that ended before it answered (work after that is async)."""
    found, todo = [], [root]
    while todo:
        span = todo.pop()
        found.append(span)
        todo += [s for s in spans if s["parent_id"] == span["span_id"] and s["end"] <= root["end"]]
    return found

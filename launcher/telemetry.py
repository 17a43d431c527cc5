"""Tracing as `shop` runs it: the receiver on the control port, where each process it starts
sends its spans, and `shop trace REQUEST_ID`, which prints one request's trace."""

import dataclasses
import os
import sys

import requests

from launcher import control, waterfall
from launcher.variants import Process

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")


def start_receiver(port: int) -> control.ControlServer | None:
    """The receiver of every process's traces, and their API; None when its port is taken."""
    try:
        return control.ControlServer(port).start()
    except OSError as error:
        print(f"shop: control port {port} is not free ({error.strerror}): no trace receiver; "
              "choose another with --control-port", file=sys.stderr)
        return None


def user_endpoint(environ=os.environ) -> str | None:
    return next((environ[name] for name in ENDPOINT_VARIABLES if environ.get(name)), None)


def child_env(receiver: control.ControlServer | None, environ=os.environ) -> dict[str, str]:
    """Where every process sends its spans: an endpoint the user set (Jaeger, a collector, ...),
    else this launcher's receiver, else nowhere (tracing off)."""
    if user_endpoint(environ) or receiver is None:
        return {}
    # Spans sent every half second rather than five: a trace is whole by the time one looks.
    return {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url, "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
            "OTEL_BSP_SCHEDULE_DELAY": environ.get("OTEL_BSP_SCHEDULE_DELAY", "500")}


def in_variant(process: Process, variant: str, environ=os.environ) -> Process:
    """Every span of the process says which variant it belongs to (service.namespace)."""
    given = environ.get("OTEL_RESOURCE_ATTRIBUTES")
    attributes = f"service.namespace={variant}" + (f",{given}" if given else "")
    return dataclasses.replace(process, env=process.env | {"OTEL_RESOURCE_ATTRIBUTES": attributes})


def announcement(receiver: control.ControlServer | None) -> str:
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return "  traces         off (OTEL_SDK_DISABLED)"
    if endpoint := user_endpoint():
        return f"  traces         sent to {endpoint}"
    if receiver is None:
        return "  traces         off (no receiver)"
    return f"  traces         {receiver.url}/api/traces  (shop trace REQUEST_ID)"


def trace_command(args) -> int:
    """`shop trace REQUEST_ID`: every trace of the request, oldest first, as waterfalls."""
    api = f"http://127.0.0.1:{args.control_port}/api/traces"
    try:
        found = requests.get(api, params={"request_id": args.request_id, "limit": 20}, timeout=5)
        found.raise_for_status()
        traces = [requests.get(f"{api}/{t['trace_id']}", timeout=5).json()
                  for t in reversed(found.json()["items"])]
    except requests.RequestException as error:
        print(f"shop: the trace API at {api} did not answer: {error}", file=sys.stderr)
        return 1
    if not traces:
        print(f"shop: no trace of request {args.request_id} (yet) at {api}", file=sys.stderr)
        return 1
    for trace in traces:
        print(f"trace {trace['trace_id']}\n{waterfall.render(trace['spans'])}\n")
    return 0

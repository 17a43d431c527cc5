"""Faults a student applies to one process from the control room: latency added to its answers
and a share of them failed with a 503. The launcher cannot change a running process's code, so
every gunicorn worker wraps its app in `wrap()` (launcher/gunicorn_worker.py), which reads the
process's faults file, SHOP_FAULTS_FILE, again whenever its mtime changes. The launcher sets
that variable; without it nothing is wrapped, and with no file each request costs one clock
read (a stat at most every CHECK_SECONDS)."""

import json
import os
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from opentelemetry import propagate, trace

from shared import problems, request_id
from shared.errors import ServiceUnavailable

ENV = "SHOP_FAULTS_FILE"
CHECK_SECONDS = 0.2
MAX_LATENCY_MS = 30_000
UNTOUCHED = "/health"  # the launcher's probe: a fault must not get the process restarted


@dataclass(frozen=True)
class Faults:
    latency_ms: int = 0
    error_rate: float = 0.0

    def __bool__(self) -> bool:
        return bool(self.latency_ms or self.error_rate)


def parse(body) -> Faults:
    """Faults from a JSON body; ValueError says what is wrong with it."""
    if not isinstance(body, dict) or set(body) - {"latency_ms", "error_rate"}:
        raise ValueError("The body is an object with latency_ms and/or error_rate, nothing else.")
    latency, rate = body.get("latency_ms", 0), body.get("error_rate", 0)
    if type(latency) is not int or not 0 <= latency <= MAX_LATENCY_MS:
        raise ValueError(f"latency_ms is a whole number of milliseconds from 0 to {MAX_LATENCY_MS}.")
    if type(rate) not in (int, float) or not 0 <= rate <= 1:
        raise ValueError("error_rate is a number from 0 (no answer fails) to 1 (every answer fails).")
    return Faults(latency, float(rate))


def path(data_dir: Path, process: str) -> Path:
    return data_dir / "faults" / f"{process}.json"


def write(file: Path, faults: Faults) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_suffix(".partial")
    partial.write_text(json.dumps(asdict(faults)))
    partial.replace(file)  # a reader sees the old faults or the new, never half of them


def read(file: Path) -> Faults:
    try:
        return parse(json.loads(file.read_text()))
    except (OSError, ValueError):  # none (the usual case), or not ours to understand
        return Faults()


class Middleware:
    def __init__(self, app, file: Path):
        self.app, self.file = app, file
        self.faults, self.checked = Faults(), 0.0
        self.mtime: float | None = None

    def current(self) -> Faults:
        if (now := time.monotonic()) - self.checked > CHECK_SECONDS:
            self.checked = now
            try:
                mtime: float | None = os.stat(self.file).st_mtime
            except OSError:
                mtime = None
            if mtime != self.mtime:
                self.mtime, self.faults = mtime, read(self.file) if mtime else Faults()
        return self.faults

    def __call__(self, environ, start_response):
        faults = self.current()
        if not faults or environ.get("PATH_INFO") == UNTOUCHED:
            return self.app(environ, start_response)
        return self._faulted(faults, environ, start_response)

    def _faulted(self, faults: Faults, environ, start_response):
        """The request in a span of its own (a trace shows the fault), which the app's spans
        nest under unless the caller sent a trace context."""
        carrier = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        name = f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')} (fault)"
        tracer = trace.get_tracer("shop.faults")
        with tracer.start_as_current_span(name, context=propagate.extract(carrier),
                                          kind=trace.SpanKind.SERVER) as span:
            span.set_attributes({"shop.fault.latency_ms": faults.latency_ms,
                                 "shop.fault.error_rate": faults.error_rate})
            if faults.latency_ms:
                with tracer.start_as_current_span(f"fault: +{faults.latency_ms} ms"):
                    time.sleep(faults.latency_ms / 1000)
            if random.random() < faults.error_rate:
                span.set_status(trace.StatusCode.ERROR, "fault: error rate")
                span.set_attribute("http.response.status_code", 503)
                return _unavailable(start_response, environ.get("HTTP_X_REQUEST_ID"))
            return self.app(environ, start_response)


def _unavailable(start_response, given_id: str | None):
    _, problem = problems.problem(ServiceUnavailable("A fault set in the control room failed this answer."))
    body = json.dumps(problem).encode()
    start_response("503 Service Unavailable", [
        ("Content-Type", "application/problem+json"), ("Content-Length", str(len(body))),
        (request_id.HEADER, request_id.accept_or_new(given_id))])
    return [body]


def wrap(app, environ=os.environ):
    """The app, wrapped when the launcher gave the process a faults file."""
    return Middleware(app, Path(file)) if (file := environ.get(ENV)) else app

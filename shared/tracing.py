"""OpenTelemetry for one process of any variant, from the standard variables (OTEL_SDK_DISABLED,
OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, OTEL_SERVICE_NAME, ...): its tracer
provider, set up by its entry point (an app factory, the relay, the serverless runner, a Lambda
function), and the instrumentations every variant uses. With no endpoint configured nothing is
installed: no span is made, nothing is patched."""

import contextlib
import functools
import json
import os
from collections.abc import Iterator, Mapping

from opentelemetry import context, propagate, trace

# The SDK, the exporter and the instrumentations are imported only once tracing is on: off, a
# process loads the OpenTelemetry API alone (no-op spans), nothing more.

# The request's X-Request-Id on its server span, so that a trace can be found by it.
REQUEST_ID_ATTRIBUTE = "shop.request_id"
_process: dict = {}  # "provider": this process's, once configured


def enabled(environ: Mapping[str, str] = os.environ) -> bool:
    """On only with somewhere to send spans: an OTLP endpoint (or the console exporter)."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporter = environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower()
    endpoint = environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    return exporter == "console" or (exporter == "otlp" and bool(endpoint))


def configure(service_name: str, **attributes):
    """This process's tracer provider, made by the first call (later calls return it); None when
    tracing is off. `service_name` is the default OTEL_SERVICE_NAME overrides."""
    if "provider" not in _process and enabled():
        provider = provider_for(os.environ.get("OTEL_SERVICE_NAME") or service_name, **attributes)
        trace.set_tracer_provider(provider)
        from opentelemetry.instrumentation.urllib3 import URLLib3Instrumentor
        URLLib3Instrumentor().instrument(tracer_provider=provider)
        _process["provider"] = provider
    return _process.get("provider")


def current():
    return _process.get("provider")


@functools.cache
def provider_for(service_name: str, **attributes):
    """A provider for one service: the process's own, or, in the serverless runner, each Lambda
    function's (one process plays them all, each under its name). They share one exporter."""
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    provider = TracerProvider(resource=Resource.create(attributes | {"service.name": service_name}))
    provider.add_span_processor(_processor())
    return provider


@functools.cache
def _processor():
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
    if os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() == "console":
        return BatchSpanProcessor(ConsoleSpanExporter())
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    return BatchSpanProcessor(OTLPSpanExporter())  # endpoint, headers, timeout: from OTEL_*


def trace_app(app, service_name: str) -> None:
    """The app factory's one call: the process's tracing, and a server span per request (but
    /health, which probes ask every few seconds). Before web.install, so that the span is
    there when the request id is taken."""
    if (provider := configure(service_name)) is not None:
        from opentelemetry.instrumentation.flask import FlaskInstrumentor
        FlaskInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls="/health$",
                                         enable_commenter=False)


def instrument_engine(engine) -> None:
    """A span per SQL statement (its text, never its parameters). The engine's own tracer, not
    SQLAlchemyInstrumentor, which patches create_engine (imported before this runs) and checks
    for a SQLAlchemy older than the one installed."""
    if (provider := current()) is not None:
        from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
        from opentelemetry.metrics import NoOpUpDownCounter
        EngineTracer(provider.get_tracer("opentelemetry.instrumentation.sqlalchemy"), engine,
                     NoOpUpDownCounter("db.client.connections.usage"))


def tag_request(request_id: str) -> None:
    """Put the request id on the span being served (nothing happens when tracing is off)."""
    trace.get_current_span().set_attribute(REQUEST_ID_ATTRIBUTE, request_id)


def carrier() -> dict[str, str]:
    """The current trace context as headers (traceparent, tracestate): empty when off."""
    headers: dict[str, str] = {}
    propagate.inject(headers)
    return headers


def carrier_json() -> str | None:
    return json.dumps(headers) if (headers := carrier()) else None


def extracted(headers: Mapping[str, str] | None) -> context.Context:
    """The context `headers` carry, on a clean base: nothing of the caller's context (a
    suppression of instrumentation, another span) leaks into it."""
    return propagate.extract(dict(headers or {}), context=context.Context())


@contextlib.contextmanager
def continued(headers: Mapping[str, str] | None, name: str, tracer=None, **span) -> Iterator[trace.Span]:
    """A span in the trace `headers` carry (a new trace when they carry none), made current on
    a clean context: work picked up from a queue or an outbox continues the request that put it
    there, whatever the poller around it was doing (polls run with instrumentation suppressed)."""
    token = context.attach(extracted(headers))
    try:
        with (tracer or trace.get_tracer(__name__)).start_as_current_span(name, **span) as current:
            yield current
    finally:
        context.detach(token)

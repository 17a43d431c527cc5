"""The functions' traces: a span per invocation with FaaS attributes, continuing the trace that
API Gateway's headers, an order's stream record or an SQS message carries; and a span per
DynamoDB, Streams and SQS call, under the name of the function that makes it.

On AWS each function is a process of its own, named after it. In the local runner one process
plays API Gateway, the event sources and every function: each function then has a tracer
provider of its own name, and the calls it makes are given to it (FunctionRouter).
"""

import contextlib
import contextvars
import functools
import os
from collections.abc import Sequence

from opentelemetry import trace
from opentelemetry.trace import Link, SpanKind

from shared import tracing

CLOUD = {"cloud.provider": "aws", "cloud.platform": "aws_lambda"}
_function = contextvars.ContextVar("the invoked function's tracer provider", default=None)


def start(service_name: str):
    """This process's tracing (the runner's, or a function's on AWS): None when off."""
    if (provider := tracing.current()) is None and (provider := tracing.configure(service_name, **CLOUD)):
        from opentelemetry.instrumentation.botocore import BotocoreInstrumentor
        BotocoreInstrumentor().instrument(tracer_provider=FunctionRouter(provider))
    return provider


@functools.cache
def _on_aws() -> bool:
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


def _name(context) -> str:
    """The function's name: the context's (None in tests that call a handler directly)."""
    return getattr(context, "function_name", None) or os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "lambda")


def _provider(function_name: str):
    if (process := start(function_name)) is None or _on_aws():
        return process
    return tracing.provider_for(function_name, **CLOUD, **{"faas.name": function_name})


@contextlib.contextmanager
def invocation(event: dict, context, trigger: str, carriers: Sequence[dict] = ()):
    """The invocation's span: `trigger` "http" continues the trace of the event's headers; a
    batch (stream, queue) starts one, linked to its records' traces (`carriers`)."""
    name = _name(context)
    provider = _provider(name)
    if provider is None:
        yield None
        return
    token = _function.set(provider)
    http = trigger == "http"
    links = [Link(c) for c in map(_span_context, carriers) if c.is_valid]
    try:
        with tracing.continued((event.get("headers") or {}) if http else None,
                               event.get("routeKey", "") if http else name,
                               tracer=provider.get_tracer(__name__), links=links,
                               kind=SpanKind.SERVER if http else SpanKind.CONSUMER, attributes={
                                   "faas.trigger": trigger, "faas.name": name,
                                   "faas.invocation_id": getattr(context, "aws_request_id", "")}) as span:
            yield span
    finally:
        _function.reset(token)
        if _on_aws():  # a frozen container sends nothing: out before the answer is
            provider.force_flush()


def record(carrier: dict | None, name: str, **attributes):
    """The span of one record of a batch, in the trace of the request that made it."""
    provider = _function.get()
    tracer = provider.get_tracer(__name__) if provider else trace.NoOpTracer()
    return tracing.continued(carrier, name, tracer=tracer, kind=SpanKind.CONSUMER,
                             links=[Link(trace.get_current_span().get_span_context())],
                             attributes=attributes)


def _span_context(carrier: dict) -> trace.SpanContext:
    return trace.get_current_span(tracing.extracted(carrier)).get_span_context()


class FunctionRouter(trace.TracerProvider):
    """Gives botocore's spans to the function being invoked (the runner's own otherwise)."""

    def __init__(self, process):
        self.process = process

    def get_tracer(self, *args, **kwargs):
        return _RoutedTracer(self.process, args, kwargs)


class _RoutedTracer(trace.Tracer):
    def __init__(self, process, args, kwargs):
        self.process, self.args, self.kwargs = process, args, kwargs

    def _tracer(self):
        return (_function.get() or self.process).get_tracer(*self.args, **self.kwargs)

    def start_span(self, *args, **kwargs):
        return self._tracer().start_span(*args, **kwargs)

    def start_as_current_span(self, *args, **kwargs):
        return self._tracer().start_as_current_span(*args, **kwargs)

"""The local API Gateway (an HTTP API) as a WSGI app, served by gunicorn (local/front.py): each
HTTP request becomes a payload format 2.0 event for the function its route names, and the
function's answer becomes the HTTP response.

Plain WSGI, not Flask: API Gateway hands every method and path to a function (`$default` for
those no route names), so a framework's routing and error pages would only stand in the way.
Like API Gateway it reads the whole body before a function runs, so a connection stays usable
whatever the function answers (a 413 included).
"""

import base64
import json
import logging
from http import HTTPStatus
from urllib.parse import unquote

from gunicorn.http.errors import NoMoreData, ParseException
from opentelemetry import trace

from serverless.handlers import api, notifications, orders, products
from serverless.http import json_response, path_pattern, problem_response
from serverless.local.events import raw_url, to_event
from serverless.local.invoke import invoke
from shared import bodies, errors, problems, request_id, tracing

# The API's functions, by their names in template.yaml; `$default` is ApiFunction's.
FUNCTIONS = {"ApiFunction": api, "ProductsFunction": products, "OrdersFunction": orders,
             "NotificationsFunction": notifications}
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024  # API Gateway's limit; the contract's 64 KiB is the handlers'
DRAIN_LIMIT_BYTES = 1024 * 1024  # read past the limit so the client is sending no more when told
TOO_LARGE = f"The body is larger than {bodies.MAX_BODY_BYTES} bytes."  # as the handlers say it
log = logging.getLogger("shop.serverless.runner")


class Gateway:
    """The WSGI app: one request in, one function invoked, its proxy response out."""

    def __init__(self):
        self.routes = [(key.split(" ")[0], path_pattern(key.split(" ")[1]), key, name)
                       for name, function in FUNCTIONS.items()
                       for key in function.api.views if key != "$default"]

    def route(self, method: str, path: str) -> tuple[str, str, dict]:
        """The route key, function name and path parameters of a request."""
        for route_method, pattern, key, name in self.routes:
            if route_method == method and (found := pattern.fullmatch(path)):
                return key, name, {k: unquote(v) for k, v in found.groupdict().items()}
        return "$default", "ApiFunction", {}

    def __call__(self, environ: dict, start_response):
        try:
            body = _read_body(environ["wsgi.input"])
        except errors.ShopError as error:  # refused before any function runs, as API Gateway does
            result = problem_response(error, {request_id.HEADER: request_id.accept_or_new(None)})
            return _respond(result, start_response)
        key, name, params = self.route(environ["REQUEST_METHOD"], raw_url(environ).path)
        event = to_event(environ, key, params, body)
        _traced(event, key)
        try:
            result, _ = invoke(name, FUNCTIONS[name].handler, event)
        except Exception:  # the handlers answer their own errors: this is a bug in one of them
            log.exception("%s failed", name)
            status, problem = problems.internal_error()
            result = json_response(problem, status, {request_id.HEADER: request_id.accept_or_new(None)})
        if rid := result.get("headers", {}).get(request_id.HEADER):
            tracing.tag_request(rid)
        return _respond(result, start_response)


def _traced(event: dict, key: str) -> None:
    """The request's span named by its route, and its trace passed on in the event's headers
    (API Gateway passes on the client's traceparent; here the gateway's span is its parent)."""
    span = trace.get_current_span()
    if span.is_recording():
        span.update_name(key)
        span.set_attribute("http.route", key.split(" ", 1)[-1])
        event["headers"].update(tracing.carrier())


def _read_body(stream) -> bytes:
    try:
        data = stream.read(MAX_PAYLOAD_BYTES + 1)
        if len(data) > MAX_PAYLOAD_BYTES:
            stream.read(DRAIN_LIMIT_BYTES)
            raise errors.PayloadTooLarge(TOO_LARGE)
    except (ParseException, NoMoreData) as error:
        # gunicorn reads the framing as the body is read, and closes the connection after the
        # answer: where the next request would start is unknown.
        raise errors.MalformedRequest(bodies.UNREADABLE) from error
    return data


def _respond(result: dict, start_response) -> list[bytes]:
    if "statusCode" not in result:  # payload 2.0: any other JSON is a 200 with that body
        result = {"statusCode": 200, "headers": {"Content-Type": "application/json"},
                  "body": json.dumps(result)}
    body = result.get("body") or ""
    data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    status = result["statusCode"]
    headers = [*result.get("headers", {}).items(), ("Content-Length", str(len(data)))]
    start_response(f"{status} {HTTPStatus(status).phrase}", headers)
    return [data]  # gunicorn leaves the body out of an answer to HEAD

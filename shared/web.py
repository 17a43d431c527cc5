"""Small Flask helpers every Flask-based variant uses: request ids, JSON bodies, admin auth, errors."""

import functools
import hmac
import json
import logging

from flask import Flask, Response, current_app, g, has_request_context, request
from gunicorn.http.errors import NoMoreData, ParseException
from werkzeug.exceptions import ClientDisconnected, HTTPException, MethodNotAllowed
from werkzeug.routing import BaseConverter

from shared import bodies, contract, errors, problems, request_id, tracing
from shared.bodies import MAX_BODY_BYTES
from shared.idempotency import StoredResponse

# A client that sent too much still gets its 413 on a usable connection, up to this much.
DRAIN_LIMIT_BYTES = 1024 * 1024
PROBLEM_JSON = "application/problem+json"
# What reading a body raises when its framing is broken (a chunk size that is not hex) or cut
# short: gunicorn parses a body as the app reads it, so the app is the one that finds out.
UNREADABLE_BODY = (ParseException, NoMoreData, ClientDisconnected)
HTTP_ERRORS = {404: errors.RouteNotFound, 405: errors.MethodNotAllowed, 413: errors.PayloadTooLarge}
log = logging.getLogger("shop")


def json_response(body: dict, status: int = 200, headers: dict | None = None) -> Response:
    mimetype = PROBLEM_JSON if status >= 400 else "application/json"
    return Response(json.dumps(body), status, headers, mimetype=mimetype)


def openapi_response() -> Response:
    return Response(contract.openapi_document(), mimetype=contract.OPENAPI_MEDIA_TYPE)


def stored_response(stored: StoredResponse) -> Response:
    """A placed order's response, first time or replayed."""
    headers = {"Location": f"/orders/{stored.body['id']}"} if stored.status == 201 else None
    return json_response(stored.body, stored.status, headers)


def problem_response(error: errors.ShopError, headers: dict | None = None) -> Response:
    status, body = problems.problem(error)
    return json_response(body, status, headers)


def require_admin(view):
    """Let the view run only for `Authorization: Bearer <SHOP_ADMIN_TOKEN>`."""
    @functools.wraps(view)
    def guarded(*args, **kwargs):
        expected = f"Bearer {current_app.config['ADMIN_TOKEN']}".encode()
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, expected):  # constant time: no timing oracle
            raise errors.Unauthorized("A valid admin bearer token is required.")
        return view(*args, **kwargs)
    return guarded


def raw_body() -> bytes:
    """The body as sent, if it is at most MAX_BODY_BYTES; a larger one is drained and refused."""
    try:
        data = request.stream.read(MAX_BODY_BYTES + 1)
        if len(data) > MAX_BODY_BYTES:
            _drain()
            raise errors.PayloadTooLarge(f"The body is larger than {MAX_BODY_BYTES} bytes.")
    except UNREADABLE_BODY as error:  # gunicorn closes the connection after the answer
        raise errors.MalformedRequest(bodies.UNREADABLE) from error
    return data


def json_body(required: bool = True):
    """The parsed JSON body, checked in the contract's order: size, media type, syntax
    (the rules live in shared/bodies.py, which the Lambda handlers use too)."""
    return bodies.parse(raw_body(), request.content_type, required)


def _drain() -> None:
    left = DRAIN_LIMIT_BYTES
    while left > 0 and (chunk := request.stream.read(min(left, 65536))):
        left -= len(chunk)
    if left <= 0:
        g.close_connection = True


class PathSegment(BaseConverter):
    """A `<name>` in a route: no segment holding U+0000 names anything the shop stores (and
    PostgreSQL could not even compare it), so such a path matches no route: 404."""
    regex = "[^/\x00]+"
    part_isolating = True  # one segment, as the default converter's: werkzeug guesses otherwise from the "/"


def install(app: Flask) -> None:
    """Request ids on every response and Problem Details for every error; call it before any
    blueprint is registered."""
    # The contract lists each path's methods and OPTIONS is not one: a 405 like any other
    # unlisted method, where Flask would answer an empty 200 text/html page.
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    app.url_map.converters["default"] = PathSegment
    app.before_request(_take_request_id)
    app.after_request(_give_request_id)
    app.register_error_handler(errors.ShopError, _shop_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _take_request_id() -> None:
    g.request_id = request_id.accept_or_new(request.headers.get(request_id.HEADER))
    tracing.tag_request(g.request_id)


def current_request_id() -> str:
    """The request id of the request being served, for a call to another service to pass on;
    a fresh one outside a request (the outbox relay)."""
    if has_request_context() and g.get("request_id"):
        return g.request_id
    return request_id.accept_or_new(None)


def _give_request_id(response: Response) -> Response:
    response.headers[request_id.HEADER] = g.get("request_id") or request_id.accept_or_new(None)
    if g.get("close_connection"):
        response.headers["Connection"] = "close"
    return response


def _shop_error(error: errors.ShopError) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, errors.Unauthorized) else None
    return problem_response(error, headers)


def _http_error(error: HTTPException) -> Response:
    shop_error = HTTP_ERRORS.get(error.code) if error.code is not None else None
    if shop_error is None:
        return _unexpected_error(error)
    allowed = error.valid_methods if isinstance(error, MethodNotAllowed) else None
    headers = {"Allow": ", ".join(sorted(allowed))} if allowed else None
    return problem_response(shop_error(error.description or error.name), headers)


def _unexpected_error(error: Exception) -> Response:
    log.exception("request %s failed", g.get("request_id"))
    status, body = problems.internal_error()
    return json_response(body, status)

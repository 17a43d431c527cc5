"""API Gateway HTTP API events (payload format 2.0) in, Lambda proxy responses out.

The Lambda counterpart of shared/web.py (which needs Flask): request ids, JSON bodies, admin
auth, and every ShopError as Problem Details through the one table in shared/problems.py.
"""

import base64
import functools
import hmac
import json
import logging
import re

from botocore.exceptions import ClientError, ConnectionError as AwsConnectionError, ReadTimeoutError

from serverless import config, tracing
from shared import bodies, contract, errors, problems, request_id
from shared.idempotency import StoredResponse
from shared.tracing import tag_request

PROBLEM_JSON = "application/problem+json"
# DynamoDB or SQS said "slow down" even after the SDK's own retries: worth trying again later.
THROTTLED = {"ThrottlingException", "ProvisionedThroughputExceededException",
             "RequestLimitExceeded", "RequestThrottled"}
# The words the Flask variants answer an unknown path with (werkzeug's), so that all answer alike.
NOT_FOUND = ("The requested URL was not found on the server. If you entered the URL manually "
             "please check your spelling and try again.")
log = logging.getLogger("shop.serverless")


class Request:
    """One event, read the way the contract needs it."""

    def __init__(self, event: dict):
        self.event = event
        # API Gateway sends header names in lower case; tests and other callers may not.
        self.headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
        self.id = request_id.accept_or_new(self.headers.get(request_id.HEADER.lower()))

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def path(self, name: str) -> str:
        return self.event["pathParameters"][name]

    def query(self, name: str) -> str | None:
        return (self.event.get("queryStringParameters") or {}).get(name)

    def json(self, required: bool = True):
        """The parsed body: 413, 415 and 400 in the contract's order (shared/bodies.py)."""
        body = self.event.get("body") or ""
        data = base64.b64decode(body) if self.event.get("isBase64Encoded") else body.encode()
        return bodies.parse(data, self.header("content-type"), required)


def json_response(body: dict, status: int = 200, headers: dict | None = None) -> dict:
    media_type = PROBLEM_JSON if status >= 400 else "application/json"
    return {"statusCode": status, "headers": {"Content-Type": media_type} | (headers or {}),
            "body": json.dumps(body), "isBase64Encoded": False}


def openapi_response() -> dict:
    return {"statusCode": 200, "headers": {"Content-Type": contract.OPENAPI_MEDIA_TYPE},
            "body": contract.openapi_document().decode(), "isBase64Encoded": False}


def stored_response(stored: StoredResponse) -> dict:
    """A placed order's response, first time or replayed."""
    headers = {"Location": f"/orders/{stored.body['id']}"} if stored.status == 201 else None
    return json_response(stored.body, stored.status, headers)


def problem_response(error: errors.ShopError, headers: dict | None = None) -> dict:
    status, body = problems.problem(error)
    if isinstance(error, errors.Unauthorized):
        headers = (headers or {}) | {"WWW-Authenticate": "Bearer"}
    return json_response(body, status, headers)


def admin(view):
    """Let the view run only for `Authorization: Bearer <SHOP_ADMIN_TOKEN>`."""
    @functools.wraps(view)
    def guarded(request: Request) -> dict:
        expected = f"Bearer {config.admin_token()}".encode()
        given = (request.header("authorization") or "").encode()
        if not hmac.compare_digest(given, expected):  # constant time: no timing oracle
            raise errors.Unauthorized("A valid admin bearer token is required.")
        return view(request)
    return guarded


class Routes:
    """The routes one function serves, by API Gateway route key, e.g. "GET /products/{sku}"."""

    def __init__(self):
        self.views = {}

    def route(self, key: str):
        def register(view):
            self.views[key] = view
            return view
        return register

    def handler(self, event: dict, context) -> dict:
        """The Lambda entry point: run the view of the event's route, and answer every failure."""
        with tracing.invocation(event, context, "http"):
            request = Request(event)
            tag_request(request.id)
            try:
                if any("\x00" in value for value in (event.get("pathParameters") or {}).values()):
                    # Names nothing the shop stores: a 404 as for any unknown path (shared/web.py).
                    raise errors.RouteNotFound(NOT_FOUND)
                response = self.views[event["routeKey"]](request)
            except errors.ShopError as error:
                response = problem_response(error)
            except Exception as error:
                response = _unexpected(error, request)
        response["headers"][request_id.HEADER] = request.id
        return response


def _unexpected(error: Exception, request: Request) -> dict:
    """AWS out of reach or throttling is a 503 the client may retry; anything else is a bug,
    logged here and answered with a bare 500."""
    if aws_unavailable(error):
        log.warning("request %s: AWS unavailable: %s", request.id, error)
        return problem_response(errors.ServiceUnavailable(
            "The shop cannot reach its data store right now; please try again."))
    log.exception("request %s failed", request.id)
    status, body = problems.internal_error()
    return json_response(body, status)


def aws_unavailable(error: Exception) -> bool:
    if isinstance(error, ClientError):
        return error.response["Error"]["Code"] in THROTTLED
    return isinstance(error, (AwsConnectionError, ReadTimeoutError))


def path_pattern(route_path: str) -> re.Pattern:
    """"/products/{sku}" -> a pattern that matches one path segment per parameter, by name."""
    return re.compile(re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", route_path))

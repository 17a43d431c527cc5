"""The API's own routes: GET / (the index), GET /openapi.yaml (the contract), GET /health, and
`$default`, where API Gateway sends every request that matches no route. That one answers as
the contract says: HEAD as the GET of its path (RFC 9110: wherever GET is, HEAD is), 405 with
`Allow` when the path is known but the method is not, else 404.
"""

from urllib.parse import unquote

from serverless.handlers import notifications, orders, products
from serverless.http import (
    NOT_FOUND,
    Request,
    Routes,
    json_response,
    openapi_response,
    path_pattern,
    problem_response,
)
from shared import contract
from shared.errors import MethodNotAllowed, RouteNotFound

api = Routes()
# The words the Flask variants answer with (werkzeug's), so that every variant answers alike.
METHOD_NOT_ALLOWED = "The method is not allowed for the requested URL."


@api.route("GET /")
def index(request: Request) -> dict:
    return json_response(contract.index("serverless"))


@api.route("GET /openapi.yaml")
def openapi(request: Request) -> dict:
    return openapi_response()


@api.route("GET /health")
def health(request: Request) -> dict:
    return json_response({"status": "ok", "variant": "serverless"})


@api.route("$default")
def no_route(request: Request) -> dict:
    routes = _routes_of(request.event["rawPath"])
    if request.event["requestContext"]["http"]["method"] == "HEAD" and "GET" in routes:
        return _as_get(request.event, *routes["GET"])
    if not routes:
        raise RouteNotFound(NOT_FOUND)
    allowed = sorted({*routes, "HEAD"} if "GET" in routes else routes)
    return problem_response(MethodNotAllowed(METHOD_NOT_ALLOWED), {"Allow": ", ".join(allowed)})


def _routes_of(path: str) -> dict[str, tuple[str, Routes, dict]]:
    """The routes whose path template matches `path`, by method: their key (as in template.yaml),
    the function that serves it, and the path parameters."""
    found = {}
    for function in (api, products.api, orders.api, notifications.api):
        for key in function.views:
            method, _, template = key.partition(" ")
            if template and (match := path_pattern(template).fullmatch(path)):
                found[method] = (key, function, {k: unquote(v) for k, v in match.groupdict().items()})
    return found


def _as_get(event: dict, key: str, function: Routes, params: dict) -> dict:
    return function.handler(event | {"routeKey": key, "pathParameters": params}, None)


handler = api.handler

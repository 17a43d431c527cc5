"""The API's own routes: GET /health, and `$default`, where API Gateway sends every request
that matches no route. That one answers as the contract says: 405 with `Allow` when the path
is known but the method is not, else 404.
"""

from serverless.handlers import notifications, orders, products
from serverless.http import Request, Routes, json_response, path_pattern, problem_response
from shared.errors import MethodNotAllowed, RouteNotFound

api = Routes()


@api.route("GET /health")
def health(request: Request) -> dict:
    return json_response({"status": "ok", "variant": "serverless"})


@api.route("$default")
def no_route(request: Request) -> dict:
    path, method = request.event["rawPath"], request.event["requestContext"]["http"]["method"]
    allowed = sorted({m for m, route in _routes() if path_pattern(route).fullmatch(path)})
    if not allowed:
        raise RouteNotFound(f"There is nothing at {path}.")
    error = MethodNotAllowed(f"{method} is not allowed on {path}.")
    return problem_response(error, {"Allow": ", ".join(allowed)})


def _routes() -> list[list[str]]:
    """Every route of the API as [method, path]: the same keys as the events in template.yaml."""
    keys = [*api.views, *products.api.views, *orders.api.views, *notifications.api.views]
    return [key.split(" ", 1) for key in keys if key != "$default"]


handler = api.handler

"""The API's own routes: GET /health, and `$default`, where API Gateway sends every request
that matches no route. That one answers as the contract says: 405 with `Allow` when the path
is known but the method is not, else 404.
"""

from serverless.handlers import notifications, orders, products
from serverless.http import Request, Routes, json_response, path_pattern, problem_response
from shared.errors import MethodNotAllowed, RouteNotFound

api = Routes()
# The words the Flask variants answer with (werkzeug's), so that every variant answers alike.
NOT_FOUND = ("The requested URL was not found on the server. If you entered the URL manually "
             "please check your spelling and try again.")
METHOD_NOT_ALLOWED = "The method is not allowed for the requested URL."


@api.route("GET /health")
def health(request: Request) -> dict:
    return json_response({"status": "ok", "variant": "serverless"})


@api.route("$default")
def no_route(request: Request) -> dict:
    path = request.event["rawPath"]
    allowed = sorted({m for m, route in _routes() if path_pattern(route).fullmatch(path)})
    if not allowed:
        raise RouteNotFound(NOT_FOUND)
    error = MethodNotAllowed(METHOD_NOT_ALLOWED)
    return problem_response(error, {"Allow": ", ".join(allowed)})


def _routes() -> list[list[str]]:
    """Every route of the API as [method, path]: the same keys as the events in template.yaml."""
    keys = [*api.views, *products.api.views, *orders.api.views, *notifications.api.views]
    return [key.split(" ", 1) for key in keys if key != "$default"]


handler = api.handler

"""The internal token: only the gateway and the other services may call an internal service.

Every call between services carries `X-Internal-Token: <SHOP_INTERNAL_TOKEN>`; an
internal service refuses any other call with a 401 before routing it. /health stays
open, so that the launcher and Docker can probe it.
"""

import hmac

from flask import Flask, current_app, request

from shared.errors import Unauthorized

HEADER = "X-Internal-Token"


def protect(app: Flask) -> None:
    app.before_request(_check_token)


def _check_token() -> None:
    if request.path == "/health":
        return
    expected = current_app.config["INTERNAL_TOKEN"].encode()
    given = request.headers.get(HEADER, "").encode()
    if not hmac.compare_digest(given, expected):  # constant time: no timing oracle
        raise Unauthorized("This is an internal service: calls come through the gateway.")

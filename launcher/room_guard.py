"""What keeps another web site, or a name that resolves to this machine, from using the control
port: every request must name it by a loopback Host, nothing may come from another Origin, and a
call that changes anything carries the control token (a header, which no form or image can send
across sites). A token compared in constant time; answers are Problem Details."""

import hmac

from flask import Response, current_app, jsonify, request

TOKEN_HEADER = "X-Control-Token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
SAFE_METHODS = ("GET", "HEAD")


def problem(status: int, title: str, detail: str) -> Response:
    response = jsonify({"type": "about:blank", "title": title, "status": status, "detail": detail})
    response.status_code, response.mimetype = status, "application/problem+json"
    return response


def check() -> Response | None:
    """A before_request hook of the control port's app: None lets the request through."""
    port = request.environ.get("SERVER_PORT")
    own = {f"{name}:{port}" for name in LOOPBACK_NAMES}
    if request.host not in own:  # a rebinding DNS name, or a proxy: not this machine's page
        return problem(403, "Unknown host", f"The control room answers only as {sorted(own)[0]}.")
    origin = request.headers.get("Origin")
    if (origin is not None and origin.removeprefix("http://") not in own) \
            or request.headers.get("Sec-Fetch-Site") == "cross-site":
        return problem(403, "Cross-site request", "The control room takes requests from its own page only.")
    if _needs_token() and not _token_given():
        return problem(401, "Control token needed",
                       f"Send the control token `shop up` printed, as {TOKEN_HEADER}.")
    return None


def _needs_token() -> bool:
    if request.path == "/v1/traces":  # the processes' span exports: they add, and change nothing
        return False
    return request.method not in SAFE_METHODS or request.path.startswith(("/api/shop/", "/api/logs/"))


def _token_given() -> bool:
    room = current_app.extensions.get("room")
    given = request.headers.get(TOKEN_HEADER, "").encode()
    return room is not None and hmac.compare_digest(given, room.token.encode())

"""The answers gunicorn gives itself, to requests it refuses before any app sees them (a broken
request line, a header too large), in the contract's shape: Problem Details with X-Request-Id,
where gunicorn would send a small text/html page without one."""

import json
import logging
from http import HTTPStatus

from gunicorn.http import errors as http
from gunicorn.util import write_nonblock

from shared import errors, problems, request_id

# What the request broke, by gunicorn's exception; every other ParseException is a 400.
REFUSALS = {
    http.LimitRequestLine: errors.UriTooLong("The request line is too long."),
    http.LimitRequestHeaders: errors.HeaderFieldsTooLarge(
        "The request's header fields are too many or too large."),
    http.ExpectationFailed: errors.ExpectationFailed("Only `Expect: 100-continue` is understood."),
    http.UnsupportedTransferCoding: errors.TransferCodingNotImplemented(
        "The only Transfer-Encoding understood is chunked."),
}
MALFORMED = errors.MalformedRequest("The request's HTTP framing is malformed and cannot be read.")
# The app's own mistakes in a response it tried to send, and gunicorn's configuration: a 500.
SERVER_FAULTS = (http.InvalidResponseHeader, http.InvalidResponseHeaderName, http.ConfigurationProblem)
log = logging.getLogger("gunicorn.error")


def refuse(sock, request, exc: Exception) -> None:
    """Answer on `sock` and log, as gunicorn's handle_error does; the connection is then closed."""
    request = request or getattr(exc, "req", None)  # some refusals come after the headers were read
    rid = request_id.accept_or_new(_header(request, request_id.HEADER))
    status, body = _problem(exc)
    if status < 500:
        log.warning("Invalid request (%s): %r rid=%s", type(exc).__name__, str(exc), rid)
    else:
        log.error("Error handling request rid=%s", rid, exc_info=exc)
    try:
        write_nonblock(sock, answer(status, body, rid))
    except OSError:
        log.debug("the client was gone before its %s", status)


def _problem(exc: Exception) -> tuple[int, dict]:
    if isinstance(exc, http.ParseException) and not isinstance(exc, SERVER_FAULTS):
        return problems.problem(REFUSALS.get(type(exc), MALFORMED))
    return problems.internal_error()


def _header(request, name: str) -> str | None:
    """A header of the request, if gunicorn got as far as reading its headers."""
    for key, value in getattr(request, "headers", None) or ():
        if key.lower() == name.lower():
            return value
    return None


def answer(status: int, body: dict, rid: str) -> bytes:
    data = json.dumps(body).encode()
    head = (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
            "Connection: close\r\n"
            "Content-Type: application/problem+json\r\n"
            f"{request_id.HEADER}: {rid}\r\n"
            f"Content-Length: {len(data)}\r\n\r\n")
    return head.encode("latin-1") + data

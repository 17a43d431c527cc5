"""Request bodies, checked in the contract's order: size (413), media type (415), JSON syntax (400).

Plain bytes in, parsed JSON out, so that a Flask view and a Lambda handler apply the same rules.
"""

import json

from shared import errors

MAX_BODY_BYTES = 64 * 1024
# 400 malformed_request: the server found the body's framing broken (a chunk size that is not
# hex) or cut short while it was being read, so there are no bytes to check.
UNREADABLE = "The request's body could not be read: its framing is malformed or cut short."
ABSENT = object()  # a body that may be left out and was; the JSON `null` is a body sent


def media_type(content_type: str | None) -> str:
    """`application/json; charset=utf-8` -> `application/json`."""
    return (content_type or "").split(";")[0].strip().lower()


def parse(data: bytes, content_type: str | None, required: bool = True):
    """The parsed body, or ABSENT when it may be left out and was."""
    if len(data) > MAX_BODY_BYTES:
        raise errors.PayloadTooLarge(f"The body is larger than {MAX_BODY_BYTES} bytes.")
    if data and media_type(content_type) != "application/json":
        raise errors.UnsupportedMediaType("The body must be application/json.")
    if not data:
        if required:
            raise errors.InvalidJson("A JSON body is required.")
        return ABSENT
    try:
        return json.loads(data, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise errors.InvalidJson("The body is not valid JSON.") from None


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")  # Python's json would accept NaN and Infinity

"""X-Request-Id: echo the client's id when it is safe to log, otherwise make a fresh one."""

import re
import uuid

HEADER = "X-Request-Id"
VALID = re.compile(r"[A-Za-z0-9._-]{1,128}")


def accept_or_new(value: str | None) -> str:
    if value is not None and VALID.fullmatch(value):
        return value
    return uuid.uuid4().hex

"""How much of an HTTP/1 request has arrived, judged from its bytes alone: enough for the
gunicorn worker (launcher/gunicorn_worker.py) to know when to give a request to a thread. What
the request means is left to gunicorn's own parser."""

import re

HEX = re.compile(rb"[0-9A-Fa-f]+")


def whole_request(data: bytes) -> bool:
    """Whether `data` starts with a whole HTTP/1 request, or with one gunicorn will refuse, which
    it may as well do now: the thread's parser, not this, decides what the request means."""
    head = _head(data)
    if head is None:
        return b"\n\n" in data  # bare line feeds: refused by gunicorn
    body_at, _, fields = head
    lengths = {value for name, value in fields if name == b"content-length"}
    codings = [value.lower() for name, value in fields if name == b"transfer-encoding"]
    if codings:
        return bool(lengths) or not codings[-1].endswith(b"chunked") or _last_chunk_read(data, body_at)
    if len(lengths) != 1 or not next(iter(lengths)).isdigit():
        return True  # no body, or framing gunicorn refuses
    return len(data) - body_at >= int(next(iter(lengths)))


def expects_continue(data: bytes) -> bool:
    head = _head(data)
    return (head is not None and head[1].endswith(b" HTTP/1.1")
            and any(name == b"expect" and value.lower() == b"100-continue" for name, value in head[2]))


def _head(data: bytes) -> tuple[int, bytes, list[tuple[bytes, bytes]]] | None:
    """(where the body starts, request line, [(lowercase name, value)]), once the head is in."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    request_line, *lines = bytes(data[:end]).split(b"\r\n")
    fields = [line.partition(b":") for line in lines]
    return end + 4, request_line, [(name.strip().lower(), value.strip()) for name, _, value in fields]


def _last_chunk_read(data: bytes, at: int) -> bool:
    """Whether a chunked body starting at `at` ends in `data` (its last chunk and trailers)."""
    while (line_end := data.find(b"\r\n", at)) >= 0:
        size = bytes(data[at:line_end]).split(b";")[0].strip()
        if not HEX.fullmatch(size):
            return True  # malformed: for gunicorn to refuse
        if int(size, 16) == 0:
            return data.find(b"\r\n\r\n", line_end) >= 0
        at = line_end + 2 + int(size, 16) + 2
    return False

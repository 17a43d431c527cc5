"""Requests malformed at the HTTP level, sent as raw bytes: every variant answers them alike.

Some the HTTP server refuses before any app sees them (a Content-Length that is not a number, a
bare LF line end, both Content-Length and Transfer-Encoding, raw control bytes in the target, a
request line or headers too large); others it hands to the app (a chunk size that is not hex, a
chunk too large, TRACE, CONNECT, a method nobody knows). Either way the answer is Problem Details
with X-Request-Id, the same status and code from every variant, and after broken framing the
connection is closed: where the next request would start is unknown.
"""

import time
import uuid

import pytest

from .client import TIMEOUT
from .raw_http import connect, exchange, memory_kib, on_linux, problem_of, read_answer, stream_until_answered

HOST = b"Host: shop.test\r\n"
JSON_POST = b"POST /orders HTTP/1.1\r\n" + HOST + b"Content-Type: application/json\r\n"
HUGE_CHUNK = 400 * 1024 * 1024
# What a client may get off before the answer: the server reads API Gateway's 10 MiB at most, but
# socket buffers and, with Docker, its port forwarding take in tens of MiB more; far below 400 MiB.
MAX_SENT = 64 * 1024 * 1024
MAX_GROWTH_KIB = 48 * 1024  # far below the chunk: nothing buffers it whole


@pytest.mark.parametrize("raw", [
    JSON_POST + b"Content-Length: abc\r\n\r\n{}",
    b"GET /health HTTP/1.1\r\nHost: shop.test\nX-Seen: yes\r\n\r\n",  # a bare LF ends a line
    b"GET /health HTTP/1.1\n" + HOST + b"\n",
    JSON_POST + b"Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    b"GET /products/\x1b[2J\x07 HTTP/1.1\r\n" + HOST + b"\r\n",
], ids=["content-length-abc", "bare-lf-header", "bare-lf-request", "length-and-chunked", "control-bytes"])
def test_the_server_refuses_broken_framing_with_400_and_closes(shop, raw):
    answer = exchange(shop.base_url, raw, watch_close=True)
    assert (answer.status, problem_of(answer)["code"]) == (400, "malformed_request"), answer
    assert answer.closed, answer


@pytest.mark.parametrize("raw,status,code", [
    (b"GET /products/" + b"A" * 5000 + b" HTTP/1.1\r\n" + HOST + b"\r\n", 414, "uri_too_long"),
    (b"GET /health HTTP/1.1\r\n" + HOST + b"X-Big: " + b"b" * 9000 + b"\r\n\r\n",
     431, "header_fields_too_large"),
    (b"GET /health HTTP/1.1\r\n" + HOST + b"".join(b"X-%d: v\r\n" % i for i in range(120)) + b"\r\n",
     431, "header_fields_too_large"),
    (JSON_POST + b"Transfer-Encoding: frob, chunked\r\n\r\n0\r\n\r\n", 501,
     "transfer_coding_not_implemented"),
    (JSON_POST + b"Content-Length: 2\r\nExpect: 200-ok\r\n\r\n{}", 417, "expectation_failed"),
], ids=["request-line-5000", "header-9000", "headers-120", "transfer-frob", "expect-200-ok"])
def test_a_request_the_server_cannot_take_is_a_problem_and_closes(shop, raw, status, code):
    answer = exchange(shop.base_url, raw, watch_close=True)
    assert (answer.status, problem_of(answer)["code"]) == (status, code), answer
    assert answer.closed, answer


def test_a_refused_request_keeps_its_request_id_once_its_headers_were_read(shop):
    raw = JSON_POST + b"X-Request-Id: refused-1\r\nContent-Length: abc\r\n\r\n{}"
    answer = exchange(shop.base_url, raw)
    assert (answer.status, answer.headers.get("X-Request-Id")) == (400, "refused-1"), answer


def test_a_smuggled_request_after_length_and_chunked_is_never_answered(shop):
    # With both headers a proxy and a server may disagree where the body ends: the bytes
    # after the first answer must not be read as a second request.
    smuggled = b"GET /health HTTP/1.1\r\n" + HOST + b"\r\n"
    with connect(shop.base_url) as sock:
        sock.sendall(JSON_POST + b"Content-Length: 30\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                     + smuggled)
        answer = read_answer(sock, watch_close=True)
    assert answer.status == 400 and answer.closed, answer


def test_a_chunk_size_that_is_not_hex_is_400_malformed_request(shop):
    raw = JSON_POST + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"
    answer = exchange(shop.base_url, raw, watch_close=True)
    assert (answer.status, problem_of(answer)["code"]) == (400, "malformed_request"), answer
    assert answer.closed, "after a broken body, where the next request starts is unknown"


def test_a_huge_chunk_is_413_without_being_read_whole(shop, launched):
    before = memory_kib(launched.process.pid) if launched and on_linux() else None
    with connect(shop.base_url) as sock:
        sock.sendall(JSON_POST + b"Transfer-Encoding: chunked\r\n\r\n%x\r\n" % HUGE_CHUNK)
        started = time.monotonic()
        sent = stream_until_answered(sock, b"x" * 65536, MAX_SENT)
        assert sent <= MAX_SENT, f"no answer after {sent} bytes of a {HUGE_CHUNK}-byte chunk"
        answer = read_answer(sock)
    assert time.monotonic() - started < TIMEOUT
    assert (answer.status, problem_of(answer)["code"]) == (413, "payload_too_large"), answer
    if before is not None:
        growth = memory_kib(launched.process.pid) - before
        assert growth < MAX_GROWTH_KIB, f"the variant's processes grew {growth} KiB"


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "CONNECT", "FROB", "PROPFIND", "PATCH", "DELETE"])
@pytest.mark.parametrize("path,allow", [("/products", "GET, HEAD, POST"), ("/orders", "GET, HEAD, POST"),
                                        ("/products/MUG-1", "GET, HEAD"), ("/orders/x/cancel", "POST")])
def test_an_unlisted_method_on_a_known_path_is_405_with_allow(shop, method, path, allow):
    answer = exchange(shop.base_url, f"{method} {path} HTTP/1.1\r\n".encode() + HOST + b"\r\n")
    assert (answer.status, problem_of(answer)["code"]) == (405, "method_not_allowed"), answer
    assert answer.headers.get("Allow") == allow, answer


@pytest.mark.parametrize("path", ["/products", "/health"])
def test_head_is_get_without_the_body(shop, path):
    get = exchange(shop.base_url, f"GET {path} HTTP/1.1\r\n".encode() + HOST + b"\r\n")
    head = exchange(shop.base_url, f"HEAD {path} HTTP/1.1\r\n".encode() + HOST + b"\r\n")
    assert (head.status, head.media_type(), head.body) == (get.status, get.media_type(), b""), head
    assert head.headers.get("X-Request-Id"), head


@pytest.mark.parametrize("request_line", [b"TRACE /no-such-path HTTP/1.1", b"FROB /no-such-path HTTP/1.1",
                                          b"CONNECT shop.test:443 HTTP/1.1"])
def test_an_odd_method_anywhere_else_is_404(shop, request_line):
    answer = exchange(shop.base_url, request_line + b"\r\n" + HOST + b"\r\n")
    assert (answer.status, problem_of(answer)["code"]) == (404, "not_found"), answer


def test_control_bytes_from_a_request_never_reach_the_log_raw(shop, launched):
    marker = uuid.uuid4().hex
    raw = exchange(shop.base_url,
                   f"GET /products/\x1b[31m{marker}-raw HTTP/1.1\r\n".encode() + HOST + b"\r\n")
    assert (raw.status, problem_of(raw)["code"]) == (400, "malformed_request"), raw
    encoded = exchange(shop.base_url,
                       f"GET /products/%1b[31m{marker}-enc HTTP/1.1\r\n".encode() + HOST + b"\r\n")
    assert (encoded.status, problem_of(encoded)["code"]) == (404, "product_not_found"), encoded
    if launched is None:
        return  # another's server: its log is not ours to read
    lines = _log_lines_with(launched.log_path, [f"{marker}-raw", f"{marker}-enc"])
    assert lines and not any("\x1b" in line for line in lines), lines


def _log_lines_with(path, markers: list[str]) -> list[str]:
    """The log's lines that name any of `markers`, once each marker is in (the log is written
    by another process)."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        lines = [line for line in path.read_text(errors="replace").splitlines()
                 if any(m in line for m in markers)]
        if all(any(m in line for line in lines) for m in markers) or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


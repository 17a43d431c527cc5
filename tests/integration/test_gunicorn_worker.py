"""The gunicorn worker that reads a request whole before a thread gets it
(launcher/gunicorn_worker.py), on a running monolith: requests that arrive in pieces, chunked,
pipelined or after a 100 Continue are answered as gunicorn alone would answer them."""

import re
import socket
import time

import pytest

from tests.contract.launch import LaunchedVariant

ORDER = b'{"customer_email": "a@example.com", "items": []}'
PARSED = b'"field": "items"'  # in the 400 of a body read and parsed whole


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    launched = LaunchedVariant("monolith", "worker-test-token", tmp_path_factory.mktemp("m"), None)
    try:
        launched.wait_until_healthy()
        yield launched.port
    finally:
        launched.stop()


def exchange(port: int, *pieces: bytes, pause: float = 0.3) -> bytes:
    """Sends the pieces with a pause between them; returns all the server sent until it closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        for piece in pieces:
            sock.sendall(piece)
            time.sleep(pause)
        return b"".join(iter(lambda: sock.recv(65536), b""))


def post_orders(port: int, *headers: str) -> bytes:
    return "".join(["POST /orders HTTP/1.1\r\n", f"Host: 127.0.0.1:{port}\r\n",
                    "Content-Type: application/json\r\nConnection: close\r\n",
                    *(f"{h}\r\n" for h in headers), "\r\n"]).encode()


def test_a_body_sent_in_pieces_is_read_whole(port):
    answer = exchange(port, post_orders(port, f"Content-Length: {len(ORDER)}"), ORDER[:10], ORDER[10:])
    assert answer.startswith(b"HTTP/1.1 400 ") and PARSED in answer, answer


def test_a_chunked_body_sent_in_pieces_is_read_whole(port):
    chunk = b"%x\r\n%s\r\n" % (len(ORDER), ORDER)
    answer = exchange(port, post_orders(port, "Transfer-Encoding: chunked"), chunk, b"0\r\n", b"\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ") and PARSED in answer, answer


def test_pipelined_requests_are_each_answered_in_order(port):
    health = f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    missing = f"GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    answer = exchange(port, health + health + missing)
    assert re.findall(rb"HTTP/1\.1 \d{3}", answer) == [b"HTTP/1.1 200"] * 2 + [b"HTTP/1.1 404"], answer


def test_a_client_that_waits_for_100_continue_gets_it_then_its_answer(port):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(post_orders(port, f"Content-Length: {len(ORDER)}", "Expect: 100-continue"))
        assert sock.recv(65536).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        sock.sendall(ORDER)
        answer = b"".join(iter(lambda: sock.recv(65536), b""))
    final = answer[answer.index(b"HTTP/1.1 4"):]
    assert final.startswith(b"HTTP/1.1 400 ") and PARSED in final, answer

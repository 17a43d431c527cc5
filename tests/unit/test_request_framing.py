"""When the gunicorn worker (launcher/gunicorn_worker.py) has read enough of a request to give
it to a thread: all of it, or enough for gunicorn to refuse it."""

import pytest

from launcher.request_framing import expects_continue, whole_request

HEAD = b"POST /orders HTTP/1.1\r\nHost: shop\r\n"


@pytest.mark.parametrize("data", [
    b"GET /health HTTP/1.1\r\nHost: shop\r\n\r\n",
    HEAD + b"Content-Length: 2\r\n\r\n{}",
    HEAD + b"Content-Length: 0\r\n\r\n",
    HEAD + b"Content-Length: 2\r\n\r\n{}GET /health HTTP/1.1\r\n",  # pipelined: the first is whole
    HEAD + b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    HEAD + b"Transfer-Encoding: chunked\r\n\r\n2;x=y\r\n{}\r\n0\r\nTrailer: z\r\n\r\n",
    # refused by gunicorn, so nothing to wait for
    HEAD + b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n",
    HEAD + b"Content-Length: -2\r\n\r\n",
    HEAD + b"Transfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n",
    HEAD + b"Transfer-Encoding: gzip\r\n\r\n",
    HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"GET /health HTTP/1.1\nHost: shop\n\n",
])
def test_a_whole_or_refused_request_goes_to_a_thread(data):
    assert whole_request(data)


@pytest.mark.parametrize("data", [
    b"",
    b"GET /health HTTP/1.1\r\nHost: sh",
    HEAD + b"Content-Length: 1000\r\n\r\n{\"lines\": ",
    HEAD + b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n",
    HEAD + b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nTrailer: z\r\n",
])
def test_a_request_still_arriving_waits_in_the_event_loop(data):
    assert not whole_request(data)


def test_100_continue_is_for_an_http_1_1_request_that_asks_for_it_once_its_head_is_in():
    asks = HEAD + b"Expect: 100-Continue\r\nContent-Length: 2\r\n\r\n"
    assert expects_continue(asks)
    assert not expects_continue(asks[:-2])
    assert not expects_continue(asks.replace(b"HTTP/1.1", b"HTTP/1.0"))
    assert not expects_continue(HEAD + b"Content-Length: 2\r\n\r\n")

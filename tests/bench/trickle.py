"""Slow clients on purpose: connections that send a request one byte every half second, kept
open (and reopened when the server closes one) while normal requests are timed on the same port."""

import contextlib
import select
import socket
import threading
import time

import requests

INTERVAL = 0.5  # seconds between two bytes of a slow client
BODY_LENGTH = 1000  # the declared body of a slow body: 500 s of trickling, more than any run


def slow_request(mode: str, port: int) -> tuple[bytes, bytes]:
    """(sent at once, then trickled) for a request whose headers or whose body come slowly."""
    host = f"Host: 127.0.0.1:{port}\r\n"
    if mode == "headers":  # headers that would take 17 minutes to end
        return b"", f"GET /health HTTP/1.1\r\n{host}X-Slow: {'a' * 2000}\r\n\r\n".encode()
    head = (f"POST /orders HTTP/1.1\r\n{host}Content-Type: application/json\r\n"
            f"Content-Length: {BODY_LENGTH}\r\n\r\n")
    return head.encode(), b"[" * BODY_LENGTH


class SlowClients:
    """`count` connections to 127.0.0.1:port trickling `mode` ("headers" or "body"), from one
    thread; any the server closes or answers is opened again, so `count` stay slow."""

    def __init__(self, port: int, count: int, mode: str):
        self.port, self.count = port, count
        self.at_once, self.trickled = slow_request(mode, port)
        self.sockets: dict[socket.socket, int] = {}  # socket -> bytes of `trickled` sent
        self.reopened = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        for _ in range(self.count):
            self._open()
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()
        for sock in self.sockets:
            sock.close()

    def _open(self) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        sock.sendall(self.at_once + self.trickled[:1])
        self.sockets[sock] = 1

    def _run(self) -> None:
        while not self.stopped.wait(INTERVAL):
            readable, _, _ = select.select(list(self.sockets), [], [], 0)
            for sock in list(self.sockets):
                if sock in readable or not self._send_next(sock):
                    self._reopen(sock)

    def _send_next(self, sock: socket.socket) -> bool:
        sent = self.sockets[sock]
        try:
            sock.sendall(self.trickled[sent:sent + 1])
        except OSError:
            return False
        self.sockets[sock] = sent + 1
        return sent + 1 < len(self.trickled)

    def _reopen(self, sock: socket.socket) -> None:
        """The server answered (a 4xx, say), closed, or the request ran out: a new slow one."""
        del self.sockets[sock]
        sock.close()
        self.reopened += 1
        with contextlib.suppress(OSError):
            self._open()


def timed_get(url: str, timeout: float = 5.0) -> float | None:
    """Seconds a GET on a new connection took to answer 200, or None if it did not in time."""
    start = time.perf_counter()
    try:
        response = requests.get(url, timeout=timeout, headers={"Connection": "close"})
    except requests.RequestException:
        return None
    return time.perf_counter() - start if response.status_code == 200 else None

"""HTTP/1.1 as raw bytes, for requests no client library would send (broken framing, odd
methods, control bytes), and the memory of a launched variant's processes."""

import http.client
import json
import os
import select
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .client import TIMEOUT, check_schema

CLOSE_WAIT = 2  # seconds a server that closes after its answer has to do so


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    closed: bool | None  # the server closed the connection after answering; None: not watched

    def media_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def __str__(self) -> str:
        return f"{self.status} {dict(self.headers)} {self.body[:300]!r} closed={self.closed}"


def connect(base_url: str) -> socket.socket:
    url = urlsplit(base_url)
    return socket.create_connection((url.hostname, url.port), timeout=TIMEOUT)


def exchange(base_url: str, raw: bytes, watch_close: bool = False) -> Answer:
    """Send `raw` on a new connection and read one answer."""
    with connect(base_url) as sock:
        sock.sendall(raw)
        return read_answer(sock, watch_close, raw.split(b" ", 1)[0].decode("latin-1"))


def read_answer(sock: socket.socket, watch_close: bool = False, method: str = "GET") -> Answer:
    """One answer; with `watch_close`, whether the server closes the connection after it."""
    response = http.client.HTTPResponse(sock, method=method)  # an answer to HEAD has no body
    response.begin()
    body = response.read()
    return Answer(response.status, response.headers, body, _closed(sock) if watch_close else None)


def _closed(sock: socket.socket) -> bool:
    sock.settimeout(CLOSE_WAIT)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def stream_until_answered(sock: socket.socket, piece: bytes, cap: int) -> int:
    """Send `piece` again and again until the server answers; the bytes sent by then, or more
    than `cap` if it never did (it went on reading, or stopped reading without answering)."""
    sent = 0
    sock.setblocking(False)
    while sent <= cap:
        readable, writable, _ = select.select([sock], [sock], [], TIMEOUT)
        if readable:
            break
        if not writable:
            return cap + 1
        try:
            sent += sock.send(piece)
        except BlockingIOError:
            continue
    sock.setblocking(True)
    sock.settimeout(TIMEOUT)
    return sent


def problem_of(answer: Answer) -> dict:
    """The Problem Details body of `answer`, checked against the contract's schema."""
    assert answer.media_type() == "application/problem+json", answer
    assert answer.headers.get("X-Request-Id"), f"no X-Request-Id: {answer}"
    body = json.loads(answer.body)
    assert body["status"] == answer.status, answer
    check_schema(body, "Problem")
    return body


def memory_kib(root_pid: int) -> int:
    """The resident memory of `root_pid` and every process under it, in KiB (Linux's /proc)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):  # it ended while we looked
                continue
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += [child for child, parent in parents.items() if parent == pid]
    return sum(_rss_kib(pid) for pid in tree)


def _rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)


def on_linux() -> bool:
    return os.path.isdir("/proc/self")

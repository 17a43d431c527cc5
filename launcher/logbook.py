"""The recent lines of every process the launcher runs, kept for the control room as they are
relayed to the terminal: each line numbered, so that a page asks only for what is new."""

import itertools
import re
import threading
from collections import deque
from collections.abc import Iterable, Iterator

MAX_LINES = 1000  # per process
REQUEST_ID = re.compile(r"rid=(\S+)")  # as launcher/gunicorn_conf.py's access log writes it


class LogBook:
    def __init__(self, max_lines: int = MAX_LINES):
        self.max_lines = max_lines
        self._lines: dict[str, deque[tuple[int, str]]] = {}
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def tee(self, name: str, stream: Iterable[str] | None) -> Iterator[str]:
        """The lines of `stream`, each kept as it passes."""
        for line in stream or ():
            self.add(name, line)
            yield line

    def add(self, name: str, line: str) -> None:
        with self._lock:
            kept = self._lines.setdefault(name, deque(maxlen=self.max_lines))
            kept.append((next(self._numbers), line.rstrip("\n")))

    def lines(self, name: str, after: int = 0, request_id: str | None = None) -> list[dict]:
        with self._lock:
            kept = list(self._lines.get(name, ()))
        return [{"n": n, "line": line, "request_id": _request_id(line)} for n, line in kept
                if n > after and (request_id is None or request_id in line)]


def _request_id(line: str) -> str | None:
    return found.group(1) if (found := REQUEST_ID.search(line)) and found.group(1) != "-" else None

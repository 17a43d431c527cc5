"""The processes under a launcher, read from /proc (Linux): to find the one to kill, and to
prove afterwards that none of them is left."""

import os
from pathlib import Path


def _stat(pid: int) -> list[str] | None:
    """The fields after the command name (state, ppid, ...), or None once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None


def _parents() -> dict[int, int]:
    pids = [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]
    return {pid: int(fields[1]) for pid in pids if (fields := _stat(pid))}


def children_of(pid: int) -> list[int]:
    return [child for child, parent in _parents().items() if parent == pid]


def tree(pid: int) -> set[int]:
    """Every process below `pid`, at every depth."""
    parents, found, frontier = _parents(), set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    """Running (or paused): a zombie has ended and holds nothing but its exit status."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def child_running(pid: int, text: str) -> int:
    """The one child of `pid` whose command line contains `text`."""
    [child] = [child for child in children_of(pid) if text in command(child)]
    return child

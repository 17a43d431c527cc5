"""Memory of a variant: RSS and PSS summed over a process's descendants, from /proc."""

import os
from pathlib import Path

PROC = Path("/proc")


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process now running."""
    parents = {}
    for entry in os.listdir(PROC):
        if entry.isdigit():
            try:
                stat = (PROC / entry / "stat").read_text()
            except OSError:  # it ended while we looked
                continue
            # The command name may hold spaces and parentheses: fields follow its last ")".
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def descendants(pid: int) -> list[int]:
    """Every process started by `pid`, its children's children included (not `pid` itself)."""
    parents, found, todo = _parents(), [], [pid]
    while todo:
        parent = todo.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found += children
        todo += children
    return found


def _rollup_kib(pid: int) -> tuple[int, int]:
    fields = {}
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines()[1:]:
            name, value = line.split(":", 1)
            fields[name] = int(value.split()[0])
    except OSError:
        return 0, 0
    return fields.get("Rss", 0), fields.get("Pss", 0)


def memory(pid: int) -> dict:
    """Processes, and their RSS and PSS summed in MiB, of everything `pid` started."""
    pids = descendants(pid)
    rss, pss = (sum(column) for column in zip((0, 0), *map(_rollup_kib, pids), strict=True))
    return {"processes": len(pids), "rss_mib": rss / 1024, "pss_mib": pss / 1024}

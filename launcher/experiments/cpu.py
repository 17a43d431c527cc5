"""CPU time used by processes and everything they started, from /proc."""

import os

from launcher.experiments.memory import descendants

TICKS = os.sysconf("SC_CLK_TCK")


def seconds(pids: list[int]) -> float:
    """User and system CPU seconds of `pids` and their descendants so far."""
    every = set(pids) | {child for pid in pids for child in descendants(pid)}
    return sum(_own(pid) for pid in every)


def _own(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:  # it ended while we looked
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS

"""Memory and CPU of a process and the processes of its group (gunicorn's master and workers),
read from /proc; zero where there is none (macOS)."""

import os
import time
from dataclasses import dataclass
from pathlib import Path

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Sample:
    rss_bytes: int
    cpu_seconds: float
    at: float


def sample(leaders: list[int]) -> dict[int, Sample]:
    """For each group leader's pid: its group's resident memory and CPU time so far."""
    totals = {pid: [0, 0] for pid in leaders}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # gone since the listing
            continue
        if (group := int(fields[2])) in totals:
            totals[group][0] += int(fields[21]) * PAGE_BYTES
            totals[group][1] += int(fields[11]) + int(fields[12])
    now = time.monotonic()
    return {pid: Sample(rss, ticks / TICKS_PER_SECOND, now) for pid, (rss, ticks) in totals.items()}


def cpu_percent(before: Sample | None, after: Sample) -> float | None:
    """The share of one core used between two samples; None before the second one."""
    if before is None or after.at <= before.at:
        return None
    return round(100 * max(0.0, after.cpu_seconds - before.cpu_seconds) / (after.at - before.at), 1)

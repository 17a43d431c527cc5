"""The crash run: `kill -9` of each kind of process in turn while the load runs, waiting for it
to be back (or launching the shop again, as a user would, when it is not). The retries that
follow are launcher/experiments/retries.py."""

import os
import signal
import time
from dataclasses import dataclass

from launcher.experiments.journal import Call, Journal

BACK_DEADLINE = 30  # seconds a killed process has to be back and answering


@dataclass
class Outage:
    kind: str
    pid: int
    killed_at: float
    back_at: float
    restarted: bool  # False: it did not come back by itself, and the shop was launched again
    why: str = ""

    def failed(self, journal: Journal) -> list[Call]:
        """The calls that overlapped the outage and got no answer or a 5xx."""
        return [c for c in journal.calls if c.started <= self.back_at and (c.ended or 0) >= self.killed_at
                and (c.status is None or c.status >= 500)]


def kill_each(shop, kinds: list[str], rng) -> list[Outage]:
    outages = []
    for kind in kinds:
        time.sleep(rng.uniform(0.3, 1.5))
        candidates = _running(shop, kind)
        if not candidates:
            outages.append(Outage(kind, 0, time.monotonic(), time.monotonic(), False,
                                  f"no {kind} process was running to kill:\n{shop.log(4)}"))
            continue
        target = rng.choice(candidates)
        os.kill(target.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        why = _wait_back(shop, target, {p.pid for p in candidates})
        if why:
            shop.relaunch()
        outages.append(Outage(kind, target.pid, killed_at, time.monotonic(), not why, why))
    return outages


def _running(shop, kind: str) -> list:
    """The processes of `kind`, waiting a little for one (a worker may be starting), and
    launching the shop again if `shop up` has ended."""
    deadline = time.monotonic() + 5
    while not (found := [p for p in shop.processes() if p.kind == kind]) and time.monotonic() < deadline:
        if not shop.running():
            shop.relaunch()
        time.sleep(0.1)
    return sorted(found, key=lambda p: p.pid)


def _wait_back(shop, target, old_pids: set[int]) -> str:
    """"" once a new process of the kind runs and the shop answers; else why not."""
    deadline = time.monotonic() + BACK_DEADLINE
    while time.monotonic() < deadline:
        if not shop.running():
            return f"`shop up` exited when {target.kind} {target.pid} was killed:\n{shop.log(4)}"
        new = [p for p in shop.processes() if p.kind == target.kind and p.pid not in old_pids]
        if new and shop.answers() and all(shop.answers(p.port) for p in new if p.port):
            return ""
        time.sleep(0.1)
    return f"no new {target.kind} answering within {BACK_DEADLINE} s:\n{shop.log(4)}"

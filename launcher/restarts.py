"""What the supervisor does when a process dies on its own, as a container runtime's restart
policy does: clear what is left of it, wait a backoff that doubles with each death in a row,
start it again; once it has run healthily for a while, its earlier deaths are forgotten."""

import signal

from launcher import children
from launcher.children import Child

FIRST_BACKOFF_SECONDS, MAX_BACKOFF_SECONDS = 0.5, 5.0
STEADY_SECONDS = 10


def backoff(deaths_in_a_row: int) -> float:
    return min(FIRST_BACKOFF_SECONDS * 2 ** (deaths_in_a_row - 1), MAX_BACKOFF_SECONDS)


def died(child: Child, now: float) -> str:
    """Record the death of `child` and when to start it again; the line to log."""
    # What is left of its group (gunicorn workers) would hold its port: nothing may.
    children.signal_group(child.popen.pid, signal.SIGKILL)
    child.restarts += 1
    child.deaths_in_a_row += 1
    delay = backoff(child.deaths_in_a_row)
    child.died_at, child.restart_at, child.healthy_since = now, now + delay, None
    return (f"{child.process.name} exited ({children.describe(child.popen.returncode)}); "
            f"restart {child.restarts} in {delay:.1f} s")


def answered(child: Child, healthy: bool, now: float) -> str | None:
    """Record a health check of a running `child`; a line to log when it is back."""
    if child.healthy_since is None and healthy:
        child.healthy_since = now
        if child.died_at is not None:
            return f"{child.process.name} is back, {now - child.died_at:.1f} s after it exited"
    elif child.healthy_since is not None and now - child.healthy_since > STEADY_SECONDS:
        child.deaths_in_a_row = 0
    return None

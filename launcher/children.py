"""One child of the launcher: started in a session of its own and bound to the launcher's life,
signalled as a whole process group, and described in words when it ends."""

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass

from launcher import deathsig
from launcher.variants import Process


@dataclass
class Child:
    process: Process
    popen: subprocess.Popen
    wanted: bool = True  # False once stopped on purpose: then it stays stopped
    restarts: int = 0  # every restart of this process so far
    deaths_in_a_row: int = 0  # since it last ran steadily: sets the backoff
    healthy_since: float | None = None  # None: not (yet, or again) seen healthy
    died_at: float | None = None
    restart_at: float | None = None  # set once it died: when it is due to start again


def spawn(process: Process, env: dict[str, str]) -> subprocess.Popen:
    """Its own session keeps a Ctrl-C in the terminal from reaching it before the launcher has
    decided on the order of things; SIGTERM, if the launcher is killed without a chance to stop
    it, keeps it from living on, orphaned, on its port."""
    return subprocess.Popen(
        process.argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True, preexec_fn=deathsig.before_exec(signal.SIGTERM))


def signal_group(pid: int, signum: int) -> None:
    """`signum` to every process of the group `pid` leads (gunicorn's master and workers)."""
    with contextlib.suppress(ProcessLookupError):  # nobody left in it
        os.killpg(pid, signum)


def terminate(popen: subprocess.Popen) -> None:
    """Ask for a clean stop: SIGTERM to the leader, which stops its own workers in order, and
    SIGCONT to its group, since a paused process would not act on SIGTERM."""
    popen.terminate()
    signal_group(popen.pid, signal.SIGCONT)


def stop_all(stopping: list[Child], timeout: float) -> None:
    """Stop them side by side; SIGKILL for what still runs after `timeout`."""
    for child in stopping:
        if child.popen.poll() is None:
            terminate(child.popen)
    deadline = time.monotonic() + timeout
    for child in stopping:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.popen.wait(max(0.0, deadline - time.monotonic()))
        # Past the deadline the leader too; otherwise only what outlived it, if anything did.
        signal_group(child.popen.pid, signal.SIGKILL)
        child.popen.wait()


def state(child: Child, supervised: bool) -> str:
    """starting, running, paused, restarting, exited (while not supervised), or stopped."""
    if not child.wanted:
        return "stopped"
    if child.popen.poll() is not None:
        return "restarting" if child.restart_at is not None and supervised else "exited"
    if paused(child.popen.pid):
        return "paused"
    return "running" if child.healthy_since is not None else "starting"


def paused(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] in ("T", "t")
    except OSError:  # no /proc (macOS), or it is gone
        return False


def describe(returncode: int) -> str:
    if returncode < 0:
        return signal.Signals(-returncode).name
    return f"code {returncode}"

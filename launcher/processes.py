"""Run a set of processes in the foreground as a container runtime would: start them, wait until
they are healthy, restart one that dies, and stop them all, leaving none behind."""

import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import requests

from launcher import children
from launcher.children import Child
from launcher.variants import Process

STOP_TIMEOUT_SECONDS = 10
FIRST_BACKOFF_SECONDS, MAX_BACKOFF_SECONDS = 0.5, 5.0  # doubled on each death in a row
STEADY_SECONDS = 10  # healthy this long, its next death counts as a first one again
TICK_SECONDS = 0.1


class StartupFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Status:
    name: str
    pid: int
    state: str  # starting, running, paused, restarting, exited (not supervised), stopped
    restarts: int
    port: int | None


class Supervisor:
    """Owns child processes; whatever happens, `stop()` leaves none of them behind. Start and
    supervise from one thread that lives as long as the children (the main one): on Linux a
    child is sent SIGTERM when the thread that started it ends."""

    def __init__(self, env: dict[str, str], log=None):
        self.env = env
        self.log = log or _say
        self.stop_requested = False  # a plain flag, so that a signal handler may set it
        self._children: dict[str, Child] = {}
        # Taken to act on a child, so that a process being stopped on purpose from another
        # thread (a control room) is never restarted by the supervising one meanwhile.
        self._lock = threading.Lock()

    @property
    def children(self) -> list[tuple[Process, subprocess.Popen]]:
        return [(child.process, child.popen) for child in list(self._children.values())]

    def start(self, process: Process) -> None:
        """Start `process`, or start it again after `stop_process`."""
        with self._lock:
            before = self._children.get(process.name)
            self._children[process.name] = Child(process, self._spawn(process),
                                                 restarts=before.restarts if before else 0)

    def wait_healthy(self, timeout: float = 30.0) -> None:
        """Return once every process answers its health check (or a stop is requested)."""
        deadline = time.monotonic() + timeout
        with requests.Session() as session:
            for child in list(self._children.values()):
                while not self.stop_requested and not _healthy(session, child.process):
                    if child.popen.poll() is not None:
                        raise StartupFailed(f"{child.process.name} exited with code {child.popen.returncode}")
                    if time.monotonic() > deadline:
                        raise StartupFailed(f"{child.process.name} was not healthy after {timeout:.0f} s")
                    time.sleep(TICK_SECONDS)
                child.healthy_since = time.monotonic()

    def supervise(self) -> None:
        """Restart every process that dies unasked, until `request_stop()`."""
        with requests.Session() as session:
            while not self.stop_requested:
                for name in list(self._children):
                    with self._lock:
                        if (child := self._children[name]).wanted:
                            self._look_after(child, session, time.monotonic())
                time.sleep(TICK_SECONDS)

    def request_stop(self) -> None:
        self.stop_requested = True

    def stop_process(self, name: str) -> None:
        """Stop one process on purpose: it is not restarted until `start` is called for it."""
        with self._lock:
            child = self._children[name]
            child.wanted = False
        _stop([child])

    def send_signal(self, name: str, signum: int, group: bool = False) -> None:
        """A signal to the process (SIGKILL: as if it crashed), or to its whole group."""
        popen = self._children[name].popen
        children.signal_group(popen.pid, signum) if group else popen.send_signal(signum)

    def statuses(self) -> list[Status]:
        return [Status(c.process.name, c.popen.pid, _state(c, self.stop_requested), c.restarts,
                       c.process.port) for c in list(self._children.values())]

    def stop(self) -> None:
        self.stop_requested = True
        for child in self._children.values():
            child.wanted = False
        _stop(list(self._children.values()))

    def _spawn(self, process: Process):
        env = {k: v for k, v in (self.env | process.env).items() if v is not None}
        popen = children.spawn(process, env)
        threading.Thread(target=_relay, args=(process.name, popen.stdout), daemon=True).start()
        return popen

    def _look_after(self, child: Child, session: requests.Session, now: float) -> None:
        if child.popen.poll() is None:
            _note_health(child, session, now, self.log)
        elif child.restart_at is None:
            # What is left of its group (gunicorn workers) would hold its port: nothing may.
            children.signal_group(child.popen.pid, signal.SIGKILL)
            child.restarts += 1
            child.deaths_in_a_row += 1
            delay = min(FIRST_BACKOFF_SECONDS * 2 ** (child.deaths_in_a_row - 1), MAX_BACKOFF_SECONDS)
            child.died_at, child.restart_at, child.healthy_since = now, now + delay, None
            self.log(f"{child.process.name} exited ({children.describe(child.popen.returncode)}); "
                     f"restart {child.restarts} in {delay:.1f} s")
        elif now >= child.restart_at:
            child.popen, child.restart_at = self._spawn(child.process), None


def _note_health(child: Child, session: requests.Session, now: float, log) -> None:
    if child.healthy_since is None:
        if _healthy(session, child.process, timeout=(0.5, 1)):
            child.healthy_since = now
            if child.died_at is not None:
                log(f"{child.process.name} is back, {now - child.died_at:.1f} s after it exited")
    elif child.deaths_in_a_row and now - child.healthy_since > STEADY_SECONDS:
        child.deaths_in_a_row = 0


def _stop(stopping: list[Child]) -> None:
    for child in stopping:
        if child.popen.poll() is None:
            children.terminate(child.popen)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for child in stopping:
        try:
            child.popen.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        # Past the deadline the leader too; otherwise only what outlived it, if anything did.
        children.signal_group(child.popen.pid, signal.SIGKILL)
        child.popen.wait()


def _state(child: Child, stop_requested: bool) -> str:
    if not child.wanted:
        return "stopped"
    if child.popen.poll() is not None:
        return "restarting" if child.restart_at is not None and not stop_requested else "exited"
    if children.paused(child.popen.pid):
        return "paused"
    return "running" if child.healthy_since is not None else "starting"


def _healthy(session: requests.Session, process: Process, timeout=(0.5, 2)) -> bool:
    if process.health_url is None:  # nothing to ask: running is all it can show
        return True
    try:
        return session.get(process.health_url, timeout=timeout).status_code == 200
    except requests.RequestException:
        return False


def _say(line: str) -> None:
    sys.stdout.write(f"{'shop':>14} | {line}\n")
    sys.stdout.flush()


def _relay(name: str, stream) -> None:
    """Prefix each line a child prints with its name, so interleaved logs stay readable."""
    for line in stream:
        sys.stdout.write(f"{name:>14} | {line}")
        sys.stdout.flush()

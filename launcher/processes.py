"""Run a set of processes in the foreground as a container runtime would: start them, wait until
they are healthy, restart one that dies (launcher/restarts.py), and stop them all, leaving
none behind."""

import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import requests

from launcher import children, restarts
from launcher.children import Child
from launcher.logbook import LogBook
from launcher.variants import Process

STOP_TIMEOUT_SECONDS = 10
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
        self.logbook = LogBook()  # each process's recent lines, for the control room
        # Held while acting on a child, so that one being stopped on purpose from another
        # thread (a control room) is never restarted by the supervising thread meanwhile.
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
        children.stop_all([child], STOP_TIMEOUT_SECONDS)

    def send_signal(self, name: str, signum: int, group: bool = False) -> None:
        """A signal to the process (SIGKILL: as if it crashed), or to its whole group."""
        popen = self._children[name].popen
        children.signal_group(popen.pid, signum) if group else popen.send_signal(signum)

    def statuses(self) -> list[Status]:
        return [Status(c.process.name, c.popen.pid, children.state(c, not self.stop_requested),
                       c.restarts, c.process.port) for c in list(self._children.values())]

    def stop(self) -> None:
        self.stop_requested = True
        for child in self._children.values():
            child.wanted = False
        children.stop_all(list(self._children.values()), STOP_TIMEOUT_SECONDS)

    def _spawn(self, process: Process) -> subprocess.Popen:
        env = {k: v for k, v in (self.env | process.env).items() if v is not None}
        popen = children.spawn(process, env)
        lines = self.logbook.tee(process.name, popen.stdout)
        threading.Thread(target=_relay, args=(process.name, lines), daemon=True).start()
        return popen

    def _look_after(self, child: Child, session: requests.Session, now: float) -> None:
        if child.popen.poll() is None:
            healthy = child.healthy_since is not None or _healthy(session, child.process, (0.5, 1))
            if line := restarts.answered(child, healthy, now):
                self.log(line)
        elif child.restart_at is None:
            self.log(restarts.died(child, now))
        elif now >= child.restart_at:
            child.popen, child.restart_at = self._spawn(child.process), None


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

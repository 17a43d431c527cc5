"""What the control room acts on: the variants `shop up` started, their processes (through the
supervisor), their logs and their faults. The API (launcher/room_api.py) is its HTTP face."""

import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

from launcher import faults, proc_stats
from launcher.processes import Supervisor

# The supervisor's words, and the control room's: "running" is what passed its health check.
STATES = {"running": "healthy"}
ACTIONS = ("stop", "kill", "pause", "resume", "start")
# A process that passed its health check once is asked again on every look: one that no longer
# answers in time (hung, overloaded, its port gone) shows as "unhealthy" until it does.
HEALTH_TIMEOUT = (0.3, 0.5)


class NoSuchProcess(LookupError):
    pass


class NotNow(RuntimeError):
    """The action does not fit the process's state (start a running one, pause a stopped one)."""


@dataclass
class Room:
    supervisor: Supervisor
    urls: dict[str, str]  # variant -> public URL
    members: dict[str, list[str]]  # variant -> its processes' names
    token: str  # the control token: every call that changes something carries it
    admin_token: str  # the shop's own, which the storefront's calls carry to the variants
    data_dir: Path
    _samples: dict[str, proc_stats.Sample | None] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def variants(self) -> list[dict]:
        statuses = {s.name: s for s in self.supervisor.statuses()}
        running = {process.name for process, popen in self.supervisor.children if popen.poll() is None}
        samples = proc_stats.sample([s.pid for s in statuses.values()])
        answering = _answering([s for s in statuses.values() if s.state == "running" and s.port])
        listed = []
        for variant, url in self.urls.items():
            processes = [self._process(statuses[n], samples, n in running, answering.get(n, True))
                         for n in self.members[variant] if n in statuses]
            listed.append({"name": variant, "url": url, "processes": processes})
        return listed

    def act(self, name: str, action: str) -> None:
        state = self._status(name).state
        if action == "start":
            if state not in ("stopped", "exited"):
                raise NotNow(f"{name} is {STATES.get(state, state)}: stop it first.")
            self.supervisor.start(next(p for p, _ in self.supervisor.children if p.name == name))
        elif state in ("stopped", "exited", "restarting"):
            raise NotNow(f"{name} is {state}: there is no process to {action}.")
        elif action == "stop":
            self.supervisor.stop_process(name)
        else:
            signum, group = {"kill": (signal.SIGKILL, False), "pause": (signal.SIGSTOP, True),
                             "resume": (signal.SIGCONT, True)}[action]
            # A kill hits the leader, as a crash would; a pause must reach its workers too.
            self.supervisor.send_signal(name, signum, group)

    def faults_of(self, name: str) -> faults.Faults:
        self._status(name)
        return faults.read(faults.path(self.data_dir, name))

    def set_faults(self, name: str, wanted: faults.Faults) -> None:
        self._status(name)
        file = faults.path(self.data_dir, name)
        faults.write(file, wanted) if wanted else file.unlink(missing_ok=True)

    def clear_all_faults(self) -> None:
        for file in (self.data_dir / "faults").glob("*.json"):
            file.unlink(missing_ok=True)

    def _status(self, name: str):
        found = next((s for s in self.supervisor.statuses() if s.name == name), None)
        if found is None:
            raise NoSuchProcess(f"No process is named {name!r}; GET /api/variants lists them.")
        return found

    def _process(self, status, samples: dict[int, proc_stats.Sample], running: bool,
                 answering: bool) -> dict:
        now = samples.get(status.pid)
        with self._lock:
            before, self._samples[status.name] = self._samples.get(status.name), now
        alive = status.state not in ("stopped", "exited", "restarting")
        # Stopped on purpose but not gone yet: it may still answer while it winds down.
        state = "stopping" if status.state == "stopped" and running \
            else STATES.get(status.state, status.state)
        if state == "healthy" and not answering:
            state = "unhealthy"
        return {"name": status.name, "pid": status.pid if alive else None, "port": status.port,
                "state": state, "restarts": status.restarts,
                "rss_bytes": now.rss_bytes if now and alive else 0,
                "cpu_percent": proc_stats.cpu_percent(before, now) if now and alive else None,
                "faults": vars(self.faults_of(status.name))}


def _answering(statuses: list) -> dict[str, bool]:
    """Each process's answer to GET /health now, asked side by side."""
    def asks(status) -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{status.port}/health", timeout=HEALTH_TIMEOUT).ok
        except requests.RequestException:
            return False
    if not statuses:
        return {}
    with ThreadPoolExecutor(max_workers=len(statuses)) as pool:
        return dict(zip([s.name for s in statuses], pool.map(asks, statuses), strict=True))

"""Run a set of processes in the foreground: start, wait until healthy, stop them all cleanly."""

import os
import signal
import subprocess
import sys
import threading
import time

import requests

from launcher.variants import Process

STOP_TIMEOUT_SECONDS = 10


class StartupFailed(RuntimeError):
    pass


class Supervisor:
    """Owns child processes; whatever happens, `stop()` leaves none of them behind."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.children: list[tuple[Process, subprocess.Popen]] = []

    def start(self, process: Process) -> None:
        env = {k: v for k, v in (self.env | process.env).items() if v is not None}
        child = subprocess.Popen(
            process.argv, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.children.append((process, child))
        threading.Thread(target=_relay, args=(process.name, child.stdout), daemon=True).start()

    def wait_healthy(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        with requests.Session() as session:
            for process, child in self.children:
                while not _healthy(session, process):
                    if child.poll() is not None:
                        raise StartupFailed(f"{process.name} exited with code {child.returncode}")
                    if time.monotonic() > deadline:
                        raise StartupFailed(f"{process.name} was not healthy after {timeout:.0f} s")
                    time.sleep(0.1)

    def wait(self) -> None:
        """Block until a child dies on its own (or a signal ends the launcher)."""
        while all(child.poll() is None for _, child in self.children):
            time.sleep(0.5)
        dead = [p.name for p, child in self.children if child.poll() is not None]
        raise StartupFailed(f"{', '.join(dead)} stopped unexpectedly")

    def stop(self) -> None:
        for _, child in self.children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for _, child in self.children:
            try:
                child.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()


def _healthy(session: requests.Session, process: Process) -> bool:
    if process.health_url is None:  # nothing to ask: running is all it can show
        return True
    try:
        return session.get(process.health_url, timeout=(0.5, 2)).status_code == 200
    except requests.RequestException:
        return False


def _relay(name: str, stream) -> None:
    """Prefix each line a child prints with its name, so interleaved logs stay readable."""
    for line in stream:
        sys.stdout.write(f"{name:>14} | {line}")
        sys.stdout.flush()

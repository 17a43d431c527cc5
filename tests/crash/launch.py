"""A variant launched as a user does (`shop up VARIANT --port P`), with a hand on its processes:
find them, kill one, launch the whole again on the same data, and stop it leaving nothing behind."""

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.contract.launch import REPO_ROOT, free_base_port
from tests.crash import processes

HEALTH_DEADLINE = 45  # seconds: a launch on a busy two-core machine
STOP_DEADLINE = 15


class Shop:
    def __init__(self, variant: str, data_dir: Path, env: dict[str, str]):
        self.variant = variant
        self.data_dir = data_dir
        self.env = env
        self.token = env["SHOP_ADMIN_TOKEN"]
        self.database_url = env.get("DATABASE_URL")
        self.port = free_base_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.pgids: set[int] = set()  # every process group ever seen, for the final sweep
        self.launcher: subprocess.Popen | None = None
        self.launches = 0

    def start(self) -> None:
        self.launches += 1
        with open(self.data_dir / f"launcher-{self.launches}.log", "wb") as log:
            self.launcher = subprocess.Popen(
                [sys.executable, "-m", "launcher", "up", self.variant, "--port", str(self.port)],
                cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        self.pgids.add(self.launcher.pid)
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + HEALTH_DEADLINE
        kinds = set(processes.expected_kinds(self.variant))
        while not (self.answers() and kinds <= {p.kind for p in self.processes()}):
            if not self.running():
                raise RuntimeError(f"`shop up {self.variant}` exited at start:\n{self.log()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.variant} not healthy in {HEALTH_DEADLINE} s:\n{self.log()}")
            time.sleep(0.2)

    def running(self) -> bool:
        return self.launcher is not None and self.launcher.poll() is None

    def answers(self, port: int | None = None) -> bool:
        try:
            url = f"http://127.0.0.1:{port or self.port}/health"
            return requests.get(url, timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def processes(self) -> list[processes.Found]:
        if not self.running():
            return []
        found = processes.find(self.launcher.pid)
        self.pgids |= {p.pgid for p in found}
        return found

    def log(self, lines: int = 30) -> str:
        path = self.data_dir / f"launcher-{self.launches}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(f"    | {line}" for line in text.splitlines()[-lines:])

    def relaunch(self) -> None:
        """What a user does when `shop up` has stopped: stop what is left, and start it again."""
        self.stop()
        self.start()

    def stop(self) -> list[int]:
        """SIGTERM to the launcher, as Ctrl-C would; then SIGKILL to what is left of its process
        groups, whose pids it returns."""
        if self.running():
            self.launcher.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.launcher.wait(STOP_DEADLINE)
        left = processes.kill_groups(self.pgids)
        if self.launcher is not None:
            self.launcher.wait(STOP_DEADLINE)
        self.pgids = set()
        return left


def launch_env(data_dir: Path, token: str, database_url: str | None, short_timeouts: bool) -> dict:
    env = dict(os.environ, SHOP_ADMIN_TOKEN=token, SHOP_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1",
               # The serverless local AWS's secret, chosen here so that the tier can read its tables.
               SHOP_AWS_SECRET_ACCESS_KEY=secrets.token_urlsafe(32))
    env.pop("DATABASE_URL", None)  # an inherited one must never redirect a SQLite run
    if database_url:
        env["DATABASE_URL"] = database_url
    if short_timeouts:  # so that the tier is quick; without them, the defaults (60 s, 30 s)
        env |= {"IDEMPOTENCY_CLAIM_TIMEOUT": "5", "ORDERS_RECOVERY_TIMEOUT": "3"}
    return env

"""One variant stood up for an experiment: its processes under a Supervisor of this process, on
free ports, with fresh data, a receiver of its traces, and a few products; stopped leaving
nothing behind."""

import os
import secrets
import tempfile
import threading
import time
from pathlib import Path

import requests

from launcher import children, control, ports, telemetry
from launcher.processes import Supervisor
from launcher.variants import VARIANTS, Process

PORT_SPAN = 11  # the public port and the ten above it (internal services, the control port)
STOCK = 1_000_000  # no order of an experiment can run out


def free_block() -> int:
    return ports.free_block(PORT_SPAN)


class LoggingSupervisor(Supervisor):
    """The launcher's Supervisor with each child's output sent to a log file, not the terminal,
    where the experiment prints its table."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.log_file = open(log_path, "a", buffering=1)  # noqa: SIM115 (closed by Stand.__exit__)
        super().__init__(env, log=lambda line: self.log_file.write(f"shop | {line}\n"))

    def _spawn(self, process: Process):
        env = {k: v for k, v in (self.env | process.env).items() if v is not None}
        popen = children.spawn(process, env)
        threading.Thread(target=self._copy, args=(process.name, popen.stdout), daemon=True).start()
        return popen

    def _copy(self, name: str, stream) -> None:
        for line in stream:
            if not self.log_file.closed:
                self.log_file.write(f"{name} | {line}")


class Stand:
    """`with Stand("microservices") as shop:` the variant, healthy and seeded."""

    def __init__(self, variant: str, traced: bool = False, env: dict[str, str] | None = None):
        self.variant = variant
        self.port = free_block()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_urlsafe(24)
        self.workdir = tempfile.TemporaryDirectory(prefix=f"shop-experiment-{variant}-")
        self.data_dir = Path(self.workdir.name)
        self.aws_secret = secrets.token_urlsafe(32)
        self.receiver = control.ControlServer(self.port + PORT_SPAN - 1).start() if traced else None
        base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        base |= {"SHOP_ADMIN_TOKEN": self.token, "SHOP_DATA_DIR": str(self.data_dir),
                 "SHOP_AWS_SECRET_ACCESS_KEY": self.aws_secret, "PYTHONUNBUFFERED": "1"}
        base |= telemetry.child_env(self.receiver, {}) if traced else {"OTEL_SDK_DISABLED": "true"}
        self.supervisor = LoggingSupervisor(base | (env or {}), self.data_dir / "shop.log")
        self.processes = {p.name: telemetry.in_variant(p, variant)
                          for p in VARIANTS[variant].processes(self.port)}
        # The serverless variant's processes carry the secret its local AWS answers to.
        given = [p.env.get("AWS_SECRET_ACCESS_KEY") for p in self.processes.values()]
        self.aws_secret = next((secret for secret in given if secret), self.aws_secret)
        self.skus: list[str] = []

    def __enter__(self) -> "Stand":
        try:
            for process in self.processes.values():
                self.supervisor.start(process)
            self.supervisor.wait_healthy(60)
            self._watch = threading.Thread(target=self.supervisor.supervise, daemon=True)
            self._watch.start()
            self.skus = self.seed()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.supervisor.stop()
        if self.receiver:
            self.receiver.stop()
        self.supervisor.log_file.close()
        self.workdir.cleanup()

    @property
    def control_url(self) -> str:
        if self.receiver is None:
            raise RuntimeError("this stand was started without tracing")
        return self.receiver.url

    @property
    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def seed(self, count: int = 3) -> list[str]:
        skus = [f"EXP-{i}-{secrets.token_hex(3).upper()}" for i in range(count)]
        for sku in skus:
            body: dict[str, str | int] = {"sku": sku, "name": f"Experiment mug {sku}",
                    "price_cents": 500, "stock": STOCK}
            answer = requests.post(f"{self.url}/products", json=body, headers=self.admin, timeout=10)
            answer.raise_for_status()
        return skus

    def pid(self, name: str) -> int:
        return next(s.pid for s in self.supervisor.statuses() if s.name == name)

    def healthy(self, name: str) -> bool:
        url = self.processes[name].health_url
        try:
            return url is None or requests.get(url, timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def wait_healthy(self, name: str, timeout: float = 30) -> float:
        """Seconds until `name` answers its health check again (or `timeout`)."""
        start = time.monotonic()
        while not self.healthy(name) and time.monotonic() - start < timeout:
            time.sleep(0.1)
        return time.monotonic() - start

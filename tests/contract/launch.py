"""Starts variants with the users' launcher, on free ports, each with fresh data, and stops them."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

from launcher import ports

REPO_ROOT = Path(__file__).resolve().parents[2]
HEALTH_DEADLINE = 30  # seconds a variant may take to become healthy
STOP_DEADLINE = 15
PORT_SPAN = 11  # a variant's public port plus the ten above it for its internal processes
CONTROL_PORT_OFFSET = PORT_SPAN - 1  # the launcher's control port: the last of the block


def free_base_port() -> int:
    return ports.free_block(PORT_SPAN)


class PostgresDatabases:
    """Creates one fresh database per launched variant on SHOP_TEST_DATABASE_URL's server."""

    def __init__(self, server_url: str):
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.server_url = make_url(server_url).set(drivername="postgresql")
        admin_url = self.server_url.set(drivername="postgresql+psycopg")
        self.engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.names: list[str] = []

    def create(self) -> str:
        """A new empty database; returns its plain postgresql:// URL."""
        from sqlalchemy import text

        name = f"shop_contract_{uuid.uuid4().hex[:12]}"
        with self.engine.connect() as conn:
            try:
                # A linguistic default collation (punctuation ignored) makes a missing
                # COLLATE "C" visible: the server's own default is often C already.
                conn.execute(text(
                    f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
                    "LOCALE_PROVIDER icu ICU_LOCALE 'en-US-u-ka-shifted' LOCALE 'C.UTF-8'"))
            except Exception:
                conn.execute(text(f"CREATE DATABASE {name}"))
        self.names.append(name)
        return self.server_url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        from sqlalchemy import text

        if not self.names:
            return
        with self.engine.connect() as conn:
            for name in self.names:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        self.engine.dispose()


class LaunchedVariant:
    """One `python -m launcher up NAME` process, started and waited for until healthy."""

    def __init__(self, variant: str, admin_token: str, data_dir: Path, database_url: str | None,
                 env: dict[str, str] | None = None):
        self.variant = variant
        self.port = free_base_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.control_url = f"http://127.0.0.1:{self.port + CONTROL_PORT_OFFSET}"
        self.log_path = data_dir / "launcher.log"
        env = dict(os.environ, SHOP_ADMIN_TOKEN=admin_token, SHOP_DATA_DIR=str(data_dir),
                   PYTHONUNBUFFERED="1") | (env or {})
        env.pop("DATABASE_URL", None)  # an inherited one must never redirect a SQLite run
        if database_url:
            env["DATABASE_URL"] = database_url
        with open(self.log_path, "wb") as log:
            # Its own session, so a stop can reach every process it started.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "launcher", "up", variant, "--port", str(self.port),
                 "--control-port", str(self.port + CONTROL_PORT_OFFSET)],
                cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + HEALTH_DEADLINE
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"launcher for {self.variant} exited with "
                                   f"{self.process.returncode}:\n{self.log()}")
            try:
                if requests.get(self.base_url + "/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.variant} not healthy within {HEALTH_DEADLINE} s:\n{self.log()}")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_DEADLINE)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(STOP_DEADLINE)


class Registry:
    """Launches each (variant, backend) on first use and keeps it for the rest of the session."""

    def __init__(self, admin_token: str, make_data_dir, postgres_url: str | None):
        self.admin_token = admin_token
        self.make_data_dir = make_data_dir
        self.postgres = PostgresDatabases(postgres_url) if postgres_url else None
        self.running: dict[tuple[str, str], LaunchedVariant] = {}
        self.failed: dict[tuple[str, str], str] = {}

    def base_url(self, variant: str, backend: str) -> str:
        key = (variant, backend)
        if key in self.failed:  # fail fast on every later test instead of retrying 30 s each
            raise RuntimeError(self.failed[key])
        if key not in self.running:
            try:
                self.running[key] = self._launch(variant, backend)
            except Exception as error:
                self.failed[key] = f"could not start {variant} on {backend}: {error}"
                raise
        return self.running[key].base_url

    def _launch(self, variant: str, backend: str) -> LaunchedVariant:
        database_url = self.postgres.create() if backend == "postgres" else None
        data_dir = self.make_data_dir(f"{variant}-{backend}")
        launched = LaunchedVariant(variant, self.admin_token, data_dir, database_url)
        launched.wait_until_healthy()
        return launched

    def stop_all(self) -> None:
        for launched in self.running.values():
            launched.stop()
        if self.postgres:
            self.postgres.drop_all()

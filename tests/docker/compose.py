"""What the Docker tests share: the compose files, read as data, and how to call Compose."""

import functools
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
POSTGRES_OVERRIDE = ROOT / "docker-compose.postgres.yml"
DEV_ADMIN_TOKEN = "dev-admin-token"  # the compose file's development default


@functools.cache
def services() -> dict[str, dict]:
    return yaml.safe_load(COMPOSE_FILE.read_text())["services"]


def profiles() -> set[str]:
    return {profile for service in services().values() for profile in service["profiles"]}


def in_profile(profile: str) -> dict[str, dict]:
    return {name: s for name, s in services().items() if profile in s["profiles"]}


def compose_command() -> list[str] | None:
    """SHOP_COMPOSE if set, else `docker compose` (v2), else `docker-compose` (v1), else None."""
    if os.environ.get("SHOP_COMPOSE"):
        return shlex.split(os.environ["SHOP_COMPOSE"])
    if shutil.which("docker") and subprocess.run(
            ["docker", "compose", "version"], capture_output=True, check=False).returncode == 0:
        return ["docker", "compose"]
    return ["docker-compose"] if shutil.which("docker-compose") else None

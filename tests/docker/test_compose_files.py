"""The compose files, checked without Docker: the schema, and what a schema cannot see."""

import importlib
import importlib.util
import subprocess
import sys

import pytest
import yaml

from launcher.variants import VARIANTS
from tests.docker.compose import (
    COMPOSE_FILE,
    POSTGRES_OVERRIDE,
    compose_command,
    in_profile,
    profiles,
    services,
)

REJECTED_BY_COMPOSE_1_29 = {"name", "develop"}
RESTARTED_UNLESS_STOPPED = {"unless-stopped", "always"}


def override_only_services() -> dict[str, dict]:
    """The services the PostgreSQL override adds (the others only extend the main file's)."""
    added = yaml.safe_load(POSTGRES_OVERRIDE.read_text())["services"]
    return {name: service for name, service in added.items() if name not in services()}


@pytest.mark.parametrize("path", [COMPOSE_FILE, POSTGRES_OVERRIDE], ids=lambda p: p.name)
def test_files_follow_the_compose_specification(path):
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", [COMPOSE_FILE, POSTGRES_OVERRIDE], ids=lambda p: p.name)
def test_files_use_nothing_docker_compose_1_29_rejects(path):
    text = path.read_text()
    assert "start_interval" not in text
    assert not REJECTED_BY_COMPOSE_1_29 & set(__import__("yaml").safe_load(text))


def test_docker_compose_config_accepts_them():
    command = compose_command()
    if command is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed here")
    for profile in sorted(profiles()):
        result = subprocess.run(
            [*command, "-f", str(COMPOSE_FILE), "-f", str(POSTGRES_OVERRIDE), "--profile", profile,
             "config", "--quiet"], capture_output=True, text=True, cwd=COMPOSE_FILE.parent, check=False)
        assert result.returncode == 0, result.stderr


def test_there_is_a_profile_for_every_variant():
    assert profiles() == set(VARIANTS)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_only_the_entry_point_publishes_its_port_on_loopback(variant):
    published = {name: s["ports"] for name, s in in_profile(variant).items() if s.get("ports")}
    assert len(published) == 1, f"{variant}: exactly one public entry point, got {published}"
    [ports] = published.values()
    assert ports == [f"127.0.0.1:{VARIANTS[variant].port}:{VARIANTS[variant].port}"]


@pytest.mark.parametrize("name", sorted(services()))
def test_every_service_has_a_python_healthcheck(name):
    test = services()[name]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"], "the slim image has no curl"


@pytest.mark.parametrize("name", sorted(services() | override_only_services()))
def test_every_service_restarts_when_its_container_dies(name):
    service = services().get(name) or override_only_services()[name]
    assert service.get("restart") in RESTARTED_UNLESS_STOPPED, f"{name} stays down once it dies"


@pytest.mark.parametrize("name", sorted(services()))
def test_depends_on_names_services_of_the_same_profile(name):
    service = services()[name]
    for target, condition in service.get("depends_on", {}).items():
        assert target in services(), f"{name} depends on unknown {target}"
        assert set(service["profiles"]) <= set(services()[target]["profiles"])
        assert condition == {"condition": "service_healthy"}


@pytest.mark.parametrize("name", sorted(services()))
def test_every_command_names_a_real_entry_point(name):
    command = services()[name]["command"]
    if command[0] == "gunicorn":
        assert command[1:3] == ["-c", "python:launcher.gunicorn_conf"], "the settings shop up uses"
        module, _, factory = command[3].partition(":")
        assert callable(getattr(importlib.import_module(module), factory.removesuffix("()")))
    else:
        assert command[:3] == ["python", "-m", command[2]]
        assert importlib.util.find_spec(command[2]) is not None, command


def networks_of(name: str) -> set[str]:
    """The networks a service is on once both files are merged (none named: the default one)."""
    files = (services(), yaml.safe_load(POSTGRES_OVERRIDE.read_text())["services"])
    return set().union(*(f.get(name, {}).get("networks", []) for f in files)) or {"default"}


def test_only_the_serverless_runner_reaches_the_local_aws():
    aws = services()["serverless-aws"]
    assert "ports" not in aws
    [network] = networks_of("serverless-aws")
    assert yaml.safe_load(COMPOSE_FILE.read_text())["networks"][network] == {"internal": True}
    every = set(services()) | set(override_only_services())
    assert {name for name in every if network in networks_of(name)} == {"serverless-aws", "serverless"}


def test_the_local_aws_and_the_runner_share_a_secret_set_from_the_environment():
    from launcher.variants import LOCAL_AWS_ACCESS_KEY_ID
    from serverless.config import MIN_SECRET_LENGTH
    aws, runner = (services()[name]["environment"] for name in ("serverless-aws", "serverless"))
    assert aws == runner and aws["AWS_ACCESS_KEY_ID"] == LOCAL_AWS_ACCESS_KEY_ID
    secret = aws["AWS_SECRET_ACCESS_KEY"]
    assert secret.startswith("${SHOP_AWS_SECRET_ACCESS_KEY:-") and secret.endswith("}")
    assert len(secret.split(":-", 1)[1][:-1]) >= MIN_SECRET_LENGTH  # a shorter one would not start
    assert "AWS_SESSION_TOKEN" not in aws

"""`make test-docker`: each profile built, started, healthy, and passing the contract suite.

Needs a Docker engine (DOCKER_HOST or the default socket); without one every test here is
skipped with the reason. Compose is `docker compose`, else `docker-compose`, or SHOP_COMPOSE.
"""

import os
import subprocess
import sys
import time

import pytest

from launcher.variants import VARIANTS
from tests.docker.compose import COMPOSE_FILE, DEV_ADMIN_TOKEN, compose_command, in_profile, profiles

pytestmark = pytest.mark.docker
HEALTHY_DEADLINE_SECONDS = 180


@pytest.fixture(scope="module")
def engine():
    docker = pytest.importorskip("docker")
    try:
        client = docker.from_env()
        client.ping()
    except Exception as error:  # any failure to reach the engine means: no engine here
        pytest.skip(f"no Docker engine answers ({os.environ.get('DOCKER_HOST', 'default socket')}): "
                    f"{error}. Start one, then run `make test-docker` again.")
    if compose_command() is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    yield client
    client.close()


@pytest.fixture
def stack(engine, request):
    """One profile, built and started under its own project name, torn down with its volumes."""
    profile = request.param
    compose = [*compose_command(), "-f", str(COMPOSE_FILE), "-p", f"shoptest-{profile}",
               "--profile", profile]
    env = os.environ | {"SHOP_ADMIN_TOKEN": DEV_ADMIN_TOKEN}
    started = time.monotonic()
    subprocess.run([*compose, "build"], check=True, env=env, cwd=COMPOSE_FILE.parent)
    built = time.monotonic()
    try:
        subprocess.run([*compose, "up", "-d"], check=True, env=env, cwd=COMPOSE_FILE.parent)
        containers = _wait_until_healthy(engine, f"shoptest-{profile}", len(in_profile(profile)))
        healthy = time.monotonic()
        yield containers
        _report(profile, built - started, healthy - built, containers)
    finally:
        subprocess.run([*compose, "down", "-v"], env=env, cwd=COMPOSE_FILE.parent, check=False)


def _wait_until_healthy(engine, project: str, expected: int) -> list:
    deadline = time.monotonic() + HEALTHY_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        containers = engine.containers.list(filters={"label": f"com.docker.compose.project={project}"})
        states = [c.attrs["State"].get("Health", {}).get("Status") for c in containers]
        if len(containers) == expected and all(state == "healthy" for state in states):
            return containers
        time.sleep(1)
    raise AssertionError(f"{project}: not every service healthy after {HEALTHY_DEADLINE_SECONDS} s")


def _report(profile: str, build: float, to_healthy: float, containers: list) -> None:
    memory = sum(c.stats(stream=False)["memory_stats"].get("usage", 0) for c in containers)
    print(f"\n[{profile}] build {build:.1f} s, healthy {to_healthy:.1f} s later, "
          f"{len(containers)} containers, {memory / 2**20:.0f} MiB in use (docker stats)")


@pytest.mark.parametrize("stack", sorted(profiles()), indirect=True)
def test_profile_comes_up_healthy_and_passes_the_contract(stack, request):
    profile = request.node.callspec.params["stack"]
    url = f"http://127.0.0.1:{VARIANTS[profile].port}"
    env = os.environ | {"SHOP_CONTRACT_URL": url, "SHOP_ADMIN_TOKEN": DEV_ADMIN_TOKEN}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             str(COMPOSE_FILE.parent / "tests" / "contract")], env=env, check=False)
    assert result.returncode == 0, f"the contract suite failed against {profile} in Docker"

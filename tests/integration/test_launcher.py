"""The `shop` launcher as a user runs it: start, seed twice, stop with SIGTERM, leave nothing behind."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from launcher import ports
from tests.contract.launch import LaunchedVariant, free_base_port


@pytest.fixture
def monolith(tmp_path):
    launched = LaunchedVariant("monolith", "launcher-test-token", tmp_path, database_url=None)
    launched.wait_until_healthy()
    yield launched
    launched.stop()


def shop(*args, token="launcher-test-token", **env):
    env = os.environ | {"SHOP_ADMIN_TOKEN": token} | env
    return subprocess.run([sys.executable, "-m", "launcher", *args], env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_seed_loads_the_demo_catalog_once(monolith):
    first, second = shop("seed", monolith.base_url), shop("seed", monolith.base_url)
    assert "6 products created" in first.stdout
    assert "0 products created" in second.stdout
    assert len(requests.get(monolith.base_url + "/products", timeout=5).json()["items"]) == 6


def test_seed_with_a_wrong_token_fails_clearly(monolith):
    result = shop("seed", monolith.base_url, token="wrong")
    assert result.returncode == 1 and "401" in result.stderr


@pytest.mark.parametrize("command", ["contract", "fuzz"])
def test_contract_and_fuzz_check_the_token_before_anything_else(monolith, command):
    result = shop(command, monolith.base_url, token="wrong")
    assert result.returncode == 1 and "answered 401" in result.stderr, result.stderr
    assert "passed" not in result.stdout and "Schemathesis" not in result.stdout


@pytest.mark.parametrize("command", ["contract", "fuzz"])
def test_contract_and_fuzz_say_plainly_that_they_need_a_checkout(command, monkeypatch):
    from launcher import cli

    monkeypatch.setattr(cli, "CONTRACT_SUITE", cli.CONTRACT_SUITE / "not-here")
    with pytest.raises(SystemExit, match="from a checkout of the repository"):
        cli.main([command, "http://127.0.0.1:9"])


def test_fuzz_runs_schemathesis_and_says_what_it_did(monolith):
    result = shop("fuzz", monolith.base_url, "--phases", "examples", "--max-examples", "5")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Examples" in result.stdout and "Seed: 42" in result.stdout


def test_it_announces_the_url_and_the_token(monolith):
    deadline = time.monotonic() + 10
    while "The shop is up" not in monolith.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert f"monolith       {monolith.base_url}" in monolith.log()
    assert "admin token    launcher-test-token" in monolith.log()


def test_sigterm_stops_every_process_quickly(monolith):
    monolith.process.send_signal(signal.SIGTERM)
    assert monolith.process.wait(timeout=10) == 0
    assert not port_is_open(monolith.port)


def test_a_taken_port_is_named_before_anything_starts():
    port = free_base_port()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port + 1))  # services' orders, behind its storefront
        squatter.listen()
        result = shop("up", "services", "--port", str(port))
    assert result.returncode == 1, result.stderr
    assert f"port {port + 1} (for services services-orders) is in use" in result.stderr
    assert not port_is_open(port), "the storefront was started anyway"


def test_a_port_a_stopped_run_just_closed_is_free_again():
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as client:
            served, _ = server.accept()
            served.close()  # the server closes first, so its end waits in TIME_WAIT
            assert client.recv(1) == b""
    with socket.socket() as plain, pytest.raises(OSError):
        plain.bind(("127.0.0.1", port))  # refused: TIME_WAIT holds the port for such a bind
    assert ports.is_free(port), "a server binding with SO_REUSEADDR, as gunicorn does, would start"


def test_a_port_for_all_variants_is_the_first_one_s_and_each_next_is_100_above():
    port = free_base_port()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port + 101))  # services' orders, behind its storefront at +100
        squatter.listen()
        result = shop("up", "all", "--port", str(port))
    assert result.returncode == 1, result.stderr
    assert f"port {port + 101} (for services services-orders) is in use" in result.stderr


def test_all_variants_cannot_share_one_database(tmp_path):
    result = shop("up", "all", DATABASE_URL="postgresql://postgres@127.0.0.1:1/shop",
                  SHOP_DATA_DIR=str(tmp_path))
    assert result.returncode != 0 and "one SQL variant at a time" in result.stderr
    assert not any(tmp_path.iterdir()), "nothing was started"

"""`shop up` leaves nothing behind: not when signalled twice (make and the process group each
send one), not when it is itself killed with kill -9, not when a process fails to start."""

import os
import signal
import sys
import time

import pytest

from launcher.processes import STOP_TIMEOUT_SECONDS
from tests.contract.launch import LaunchedVariant
from tests.integration.process_tree import alive, command, tree
from tests.integration.running import wait_for

pytestmark = pytest.mark.skipif(sys.platform != "linux",
                                reason="reads /proc; the parent-death signal is Linux's")
TOKEN = "stop-test-token"


def launched(tmp_path, variant: str = "services", **env) -> LaunchedVariant:
    launched = LaunchedVariant(variant, TOKEN, tmp_path, database_url=env.pop("database_url", None))
    launched.wait_until_healthy()
    return launched


def left_of(pids: set[int]) -> list[str]:
    return [command(pid) for pid in pids if alive(pid)]


# The second signal at once (both pending together), while the first is being handled, and
# while the processes are being stopped.
@pytest.mark.parametrize("gap", [0.0, 0.002, 0.3])
def test_two_sigterms_to_its_process_group_stop_every_process_before_it_exits(tmp_path, gap):
    shop = launched(tmp_path)
    pids = tree(shop.process.pid)
    assert len(pids) >= 6, "two gunicorn masters and their workers"
    os.killpg(shop.process.pid, signal.SIGTERM)
    time.sleep(gap)
    os.killpg(shop.process.pid, signal.SIGTERM)

    assert shop.process.wait(STOP_TIMEOUT_SECONDS + 5) == 0
    assert left_of(pids) == [], "the launcher exited before everything it started"


def test_ctrl_c_twice_stops_every_process_too(tmp_path):
    shop = launched(tmp_path, "monolith")
    pids = tree(shop.process.pid)
    for _ in range(2):
        shop.process.send_signal(signal.SIGINT)
        time.sleep(0.1)
    assert shop.process.wait(STOP_TIMEOUT_SECONDS + 5) == 0
    assert left_of(pids) == []


def test_nothing_outlives_a_launcher_killed_with_kill_9(tmp_path):
    shop = launched(tmp_path)
    pids = tree(shop.process.pid)
    shop.process.kill()
    shop.process.wait()
    wait_for(lambda: not left_of(pids), STOP_TIMEOUT_SECONDS, "processes outlived their launcher")


def test_a_process_that_cannot_start_fails_the_launch_clearly_and_leaves_nothing(tmp_path):
    # Nothing listens on port 1: the monolith cannot open its database and exits at once.
    shop = LaunchedVariant("monolith", TOKEN, tmp_path, "postgresql://postgres@127.0.0.1:1/shop")
    assert shop.process.wait(60) == 1
    assert "shop: monolith exited with code" in shop.log()
    assert "restart" not in shop.log()

"""testing (M1, D6, S5): per variant, the time and the processes it takes to run the contract
suite offline against it, what had to be emulated to do so, and what the emulation cannot show."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from launcher.experiments import memory, results
from launcher.experiments.stand import Stand

NAME, CLAIMS = "testing", ["M1", "D6", "S5"]
DEFAULT_VARIANTS = ["monolith", "services", "microservices", "serverless"]
COLUMNS = ["variant", "processes", "start s", "suite s", "tests passed", "failed", "emulated"]
SUITE = Path(__file__).resolve().parents[2] / "tests" / "contract"
# The behaviour tests (not the fuzzer and the concurrency runs, which take minutes each).
FULL = ["test_products.py", "test_orders.py", "test_cancel.py", "test_notifications.py",
        "test_idempotency.py", "test_order_listing.py"]
QUICK = ["test_health.py"]
EMULATED = {"monolith": "nothing (SQLite file)", "services": "nothing (SQLite files)",
            "microservices": "nothing (SQLite files, local ports)",
            "serverless": "API Gateway, Lambda, DynamoDB, Streams, SQS (moto + local runner)"}
CANNOT_SHOW = ("the local AWS cannot show IAM permissions as AWS enforces them, cold starts, "
               "throttling and concurrency limits, service quotas, network latency to AWS, "
               "or the real timing of stream and queue delivery")


def run(variants: list[str], quick: bool) -> dict:
    if not SUITE.is_dir():
        sys.exit("shop experiment testing runs tests/contract/: run it from a checkout")
    rows = []
    for variant in variants:
        start = time.monotonic()
        with Stand(variant) as shop:
            started = time.monotonic() - start
            count = sum(memory.memory(s.pid)["processes"] + 1 for s in shop.supervisor.statuses())
            passed, failed, took = _suite(shop, QUICK if quick else FULL)
        rows.append([variant, count, started, took, passed, failed, EMULATED[variant]])
    return results.result(NAME, CLAIMS, COLUMNS, rows, findings=[
        "every variant's suite ran with no network beyond loopback",
        f"serverless: {CANNOT_SHOW}"], suite=QUICK if quick else FULL)


def _suite(shop: Stand, files: list[str]) -> tuple[int, int, float]:
    env = os.environ | {"SHOP_CONTRACT_URL": shop.url, "SHOP_ADMIN_TOKEN": shop.token}
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           *[str(SUITE / f) for f in files]], env=env, cwd=SUITE.parents[1],
                          capture_output=True, text=True, check=False)
    took = time.monotonic() - start
    return _count(done.stdout, "passed"), _count(done.stdout, "failed"), took


def _count(output: str, word: str) -> int:
    """From pytest's last line, e.g. "12 passed, 1 failed in 3.2s"."""
    found = re.search(rf"(\d+) {word}", output.strip().splitlines()[-1] if output.strip() else "")
    return int(found.group(1)) if found else 0

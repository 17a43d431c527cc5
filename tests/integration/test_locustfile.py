"""locustfile.py drives a running variant with its whole mix (browse, order, read, cancel) and
every answer is one a shop gives: locust itself, headless, for a few seconds, against a launched
monolith. Its timings are never asserted."""

import csv
import os
import subprocess
import sys
from pathlib import Path

from launcher.seed import seed
from tests.contract.launch import REPO_ROOT, LaunchedVariant

TOKEN = "locust-smoke-token"
NAMES = {"/products", "/products/{sku}", "/orders", "/orders/{id}", "/orders/{id}/cancel"}


def test_the_locustfile_runs_its_whole_mix_against_a_variant_without_a_failure(tmp_path):
    shop = LaunchedVariant("monolith", TOKEN, tmp_path, None)
    try:
        shop.wait_until_healthy()
        seed(shop.base_url, TOKEN)
        done = subprocess.run(
            [str(Path(sys.executable).with_name("locust")), "--headless", "-u", "20", "-r", "20",
             "-t", "15s", "-H", shop.base_url, "--csv", str(tmp_path / "run"), "--only-summary"],
            cwd=REPO_ROOT, env=dict(os.environ, SHOP_ADMIN_TOKEN=TOKEN), capture_output=True,
            text=True, timeout=90, check=False)
    finally:
        shop.stop()

    assert done.returncode == 0, done.stderr[-3000:]  # locust exits 1 when a request failed
    with open(tmp_path / "run_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    assert set(rows) >= NAMES, sorted(rows)
    assert all(int(rows[name]["Request Count"]) > 0 for name in NAMES - {"/orders/{id}/cancel"})
    assert rows["Aggregated"]["Failure Count"] == "0"

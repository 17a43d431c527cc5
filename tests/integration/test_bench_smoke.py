"""The benchmark (tests/bench, `make bench`) against a launched monolith with tiny counts, so it
cannot rot as the variants change. Its timings are never asserted: only the report's shape, and
that every request got the answer it should."""

import subprocess
import sys

import pytest
import requests

from launcher import gunicorn_conf
from launcher.experiments.memory import memory
from tests.bench.bare_path import PATHS, bare_path, described
from tests.bench.growth import Copy, measure_growth
from tests.bench.load import ENDPOINTS
from tests.bench.measure import measure
from tests.bench.probe import ENDPOINTS as GROWTH_ENDPOINTS
from tests.bench.report import machine, markdown
from tests.contract.launch import REPO_ROOT, LaunchedVariant

TOKEN = "bench-smoke-token"
PROCESSES = 1 + gunicorn_conf.workers  # the monolith's gunicorn master and its workers


def _measure_monolith(data_dir) -> dict:
    launched = LaunchedVariant("monolith", TOKEN, data_dir, None)
    try:
        launched.wait_until_healthy()
        idle = memory(launched.process.pid)
        load = measure(launched.base_url, TOKEN, count=6, clients=2, warmup=1, seconds=0)
        return {"start_s": 0.5, "idle": idle, "load": load, "after": memory(launched.process.pid)}
    finally:
        launched.stop()


def test_the_benchmark_measures_every_endpoint_of_a_running_monolith(tmp_path):
    result = _measure_monolith(tmp_path)

    load = result["load"]
    assert load["clients"] == 2
    for mode in ("sequential", "concurrent"):
        assert tuple(load[mode]) == ENDPOINTS
        for stats in load[mode].values():
            assert stats["requests"] == 6 and stats["errors"] == 0, (mode, stats)
            assert 0 < stats["p50_ms"] <= stats["p95_ms"] <= stats["p99_ms"]
            assert stats["rps"] > 0
    for used in (result["idle"], result["after"]):
        assert used["processes"] == PROCESSES
        assert used["rss_mib"] >= used["pss_mib"] > 0

    text = markdown({"monolith": result}, machine(), machine())
    assert text.startswith("Machine: ") and " cores, " in text and "Python 3." in text
    assert "| monolith | `POST /orders` | 2 | 6 | 0 | " in text
    assert "| monolith | `GET /orders/{id}` | 1 | 6 | 0 | " in text
    assert f"| monolith | 0.5 s | {PROCESSES} | " in text


def test_the_growth_measurement_preloads_and_times_every_endpoint_twice(tmp_path):
    """`make bench BENCH_ARGS="--preload N"` in little: the whole command, launch to report."""
    output = tmp_path / "growth.md"
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--variants", "monolith", "--preload", "30",
         "--baseline", "10", "--requests", "4", "--warmup", "1", "--preload-clients", "2",
         "--output", str(output)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 0, done.stderr
    assert "monolith: timing at 10 and 30 orders stored, in turn" in done.stderr
    text = output.read_text()
    assert text.startswith("Machine: ") and text in done.stdout
    for endpoint in GROWTH_ENDPOINTS:
        row = next(line for line in text.splitlines() if f"| `{endpoint}` |" in line)
        assert row.startswith("| monolith | ") and "| 10 / 30 | " in row, row
        assert row.endswith(" | 0 |"), f"a request failed: {row}"
    # 9 stored first, then the warm-up's 1 order once preloaded: 20 in between.
    assert "| monolith | 20 | " in text


def test_the_ceiling_is_timed_before_each_variant_and_every_req_s_shown_as_a_share_of_it(tmp_path):
    """`make bench` in little: the bare Flask app's rows and the monolith's bare path's before
    the variant's, each row's req/s also a percentage of the ceiling's at the same client count;
    each run at least 4 requests and at least 0.3 s."""
    output = tmp_path / "bench.md"
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--variants", "monolith", "--requests", "4",
         "--seconds", "0.3", "--clients", "2", "--warmup", "1", "--output", str(output)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 0, done.stderr
    rows = [line for line in output.read_text().splitlines() if line.startswith("| ceiling")
            or line.startswith("| monolith | `")]
    ceiling, variant = rows[:4], rows[4:]
    assert [row.split(" | ")[:3] for row in ceiling] == [
        ["| ceiling (bare Flask)", "`GET /products/{sku}`", "1"],
        ["| ceiling (bare Flask): monolith", "`POST /orders`", "1"],
        ["| ceiling (bare Flask)", "`GET /products/{sku}`", "2"],
        ["| ceiling (bare Flask): monolith", "`POST /orders`", "2"]]
    assert all(row.split(" | ")[4] == "0" for row in rows), rows  # no request failed
    assert all(row.endswith(" | 100 % |") for row in ceiling), ceiling
    assert all(int(row.split(" | ")[3]) > 4 for row in ceiling), "the ceiling stopped at 4"
    assert all(int(row.split(" | ")[3]) >= 4 for row in rows), rows
    assert len(variant) == 2 * len(ENDPOINTS)
    assert all(row.endswith(" % |") for row in variant), variant


def test_an_order_on_the_microservices_bare_path_crosses_its_four_processes(tmp_path):
    with bare_path("microservices", tmp_path) as url:
        for _ in range(3):
            answer = requests.post(f"{url}/orders", json={"items": []}, timeout=10)
            assert answer.status_code == 201 and answer.json()["id"], answer.text
    for name in PATHS["microservices"]:
        log = (tmp_path / f"bare-microservices-{name}.log").read_text()
        assert log.count('"POST /orders HTTP/1.1" 201') == 3, (name, log)
    assert described("microservices") == "gateway → orders → inventory, payments"


@pytest.fixture
def monolith(tmp_path):
    copies = [LaunchedVariant("monolith", TOKEN, tmp_path / name, None)
              for name in ("small", "large") if not (tmp_path / name).mkdir()]
    try:
        for launched in copies:
            launched.wait_until_healthy()
        yield [Copy(launched.base_url, TOKEN) for launched in copies]
    finally:
        for launched in copies:
            launched.stop()


def test_the_preload_stops_at_its_time_cap_and_times_where_it_got(monolith, capsys):
    growth = measure_growth(*monolith, 1_000_000, baseline=10, count=3, warmup=1, clients=2,
                            cap_s=3, label="monolith")

    assert growth["capped"] and growth["errors"] == 0
    assert 0 < growth["placed"] < 1_000_000
    assert growth["before"]["stored"] == 10
    assert growth["after"]["stored"] == 10 + growth["placed"]
    for copy in ("before", "after"):
        assert all(stats["errors"] == 0 for stats in growth[copy]["stats"].values())
    assert "monolith: the time cap (--preload-cap) was reached" in capsys.readouterr().err

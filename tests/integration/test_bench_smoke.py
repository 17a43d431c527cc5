"""The benchmark (tests/bench, `make bench`) against a launched monolith with tiny counts, so it
cannot rot as the variants change. Its timings are never asserted: only the report's shape, and
that every request got the answer it should."""

from launcher import gunicorn_conf
from tests.bench.load import ENDPOINTS
from tests.bench.measure import measure
from tests.bench.memory import memory
from tests.bench.report import machine, markdown
from tests.contract.launch import LaunchedVariant

TOKEN = "bench-smoke-token"
PROCESSES = 1 + gunicorn_conf.workers  # the monolith's gunicorn master and its workers


def _measure_monolith(data_dir) -> dict:
    launched = LaunchedVariant("monolith", TOKEN, data_dir, None)
    try:
        launched.wait_until_healthy()
        idle = memory(launched.process.pid)
        load = measure(launched.base_url, TOKEN, count=6, clients=2, warmup=1)
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

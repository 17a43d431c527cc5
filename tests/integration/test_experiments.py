"""`shop experiment NAME --quick` against real launched variants: each experiment runs, writes a
result of the common shape, and its invariants hold. Timings are never asserted."""

import json
import subprocess
import sys

from launcher.experiments import MODULES, traffic
from tests.contract.launch import REPO_ROOT


def experiment(tmp_path, name: str, *variants: str) -> dict:
    path = tmp_path / f"{name}.json"
    done = subprocess.run([sys.executable, "-m", "launcher", "experiment", name, "--quick",
                           "--json", str(path), "--variants", *variants],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert name in done.stdout  # the table was printed
    document = json.loads(path.read_text())
    assert document["experiment"] == name and document["quick"] is True
    columns = document["table"]["columns"]
    assert all(len(row) == len(columns) for row in document["table"]["rows"])
    return document


def rows(document: dict) -> list[dict]:
    return [dict(zip(document["table"]["columns"], row, strict=True)) for row in document["table"]["rows"]]


def test_every_experiment_is_listed_with_its_claims():
    for name, module in MODULES.items():
        loaded = __import__(f"launcher.experiments.{module}", fromlist=["run"])
        assert name == loaded.NAME and loaded.CLAIMS and loaded.DEFAULT_VARIANTS


def test_hops_counts_one_process_for_the_monolith_and_several_for_microservices(tmp_path):
    found = rows(experiment(tmp_path, "hops", "monolith", "microservices"))
    assert len(found) == 8
    for row in (r for r in found if r["variant"] == "monolith"):
        assert (row["units"], row["calls between"], row["queue hops"]) == (1, 0, 0), row
    placed = next(r for r in found if r["variant"] == "microservices" and r["use case"] == "place an order")
    assert placed["units"] > 2 and placed["calls between"] > 1 and placed["queue hops"] >= 1, placed


def test_consistency_the_monolith_notifies_in_the_same_transaction(tmp_path):
    found = {r["variant"]: r for r in rows(experiment(tmp_path, "consistency", "monolith", "microservices"))}
    assert found["monolith"]["reads that saw no notification yet"] == 0
    assert found["microservices"]["orders"] == 3


def test_cost_serverless_grows_with_orders_always_on_does_not(tmp_path):
    document = experiment(tmp_path, "cost", "monolith", "serverless")
    serverless, monolith = document["per_order"]["serverless"], document["table"]["rows"][0]
    assert serverless["http_requests"] == 5 and serverless["invocations"] >= 5
    assert serverless["write_units"] > 0 and serverless["read_units"] > 0
    bills = document["table"]["rows"][1][2:]
    assert bills == sorted(bills) and bills[0] < bills[-1]
    assert monolith[2] == monolith[3] > 0  # two instances hold both volumes
    assert (tmp_path / "cost.svg").read_text().startswith("<svg")


def test_testing_runs_the_contract_suite_offline(tmp_path):
    (row,) = rows(experiment(tmp_path, "testing", "monolith"))
    assert row["tests passed"] > 0 and row["failed"] == 0 and row["processes"] == 3


def test_fault_isolation_a_killed_monolith_answers_nothing_then_everything_and_loses_nothing(tmp_path):
    document = experiment(tmp_path, "fault-isolation", "monolith")
    (row,) = rows(document)
    assert [row[f"ok% {e}"] for e in traffic.ENDPOINTS] == [0] * 4, row
    assert row["ok% after restart"] > 0 and "refused" in row["failed answers said"], row
    (checked,) = document["invariants"]  # on the orders, cancels and restocks sent around the kill
    assert checked["calls"] > 0 and checked["broken"] == {}, checked
    assert row["crash invariants"] == "all 6 held", row


def test_deploy_counts_every_request_of_both_ways(tmp_path):
    found = rows(experiment(tmp_path, "deploy", "monolith"))
    assert [r["how"] for r in found] == ["graceful reload (SIGHUP)", "stop and start"]
    assert all(r["requests"] > 0 and 0 <= r["failed"] <= r["requests"] for r in found), found


def test_scale_adds_a_worker_and_its_memory(tmp_path):
    (row,) = rows(experiment(tmp_path, "scale", "monolith"))
    assert row["reads/s before"] > 0 and row["reads/s after"] > 0 and row["MiB added"] > 0, row

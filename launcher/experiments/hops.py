"""hops (M3, D5): per use case and variant, what one request touches (processes, calls between
them, database calls, queue hops), its p50 latency, and where that time goes, from its traces."""

import statistics
import time

import requests

from launcher.experiments import results, shopping, spans
from launcher.experiments.stand import Stand

NAME, CLAIMS = "hops", ["M3", "D5"]
DEFAULT_VARIANTS = ["monolith", "services", "microservices", "serverless"]
COLUMNS = ["variant", "use case", "units", "calls between", "db calls", "queue hops", "p50 ms",
           "own ms", "other services ms", "database ms", "queue ms"]


def run(variants: list[str], quick: bool) -> dict:
    repeats, traced = (4, 1) if quick else (40, 3)
    rows = []
    for variant in variants:
        with Stand(variant, traced=True) as shop:
            rows += [_row(variant, use_case, measured) for use_case, measured
                     in _measure(shop, repeats, traced).items()]
    p50 = {(r[0], r[1]): r[6] for r in rows}
    findings = [f"{use_case}: p50 {_ratio(p50, use_case)}" for use_case in shopping.USE_CASES
                if ("monolith", use_case) in p50 and ("microservices", use_case) in p50]
    return results.result(NAME, CLAIMS, COLUMNS, rows, findings=findings,
                          method=f"{repeats} sequential requests per use case after a warm-up; counts "
                                 f"and split: the median over the last {traced} requests' traces")


def _measure(shop: Stand, repeats: int, traced: int) -> dict[str, dict]:
    sku, measured = shop.skus[0], {}
    with requests.Session() as http:
        orders = [shopping.place(http, shop.url, sku).json()["id"] for _ in range(repeats + 2)]
        for use_case in shopping.USE_CASES:
            latencies, ids = [], []
            for i in range(repeats):
                start = time.perf_counter()
                answer = shopping.do(http, shop.url, use_case, sku, orders[i])
                latencies.append((time.perf_counter() - start) * 1000)
                answer.raise_for_status()
                ids.append(answer.headers["X-Request-Id"])
            traces = [spans.of_request(shop.control_url, rid) for rid in ids[-traced:]]
            measured[use_case] = {"p50_ms": results.percentile(latencies, 50),
                                  "counts": _median([spans.counts(t) for t in traces]),
                                  "split": _median([spans.split(t) for t in traces])}
    return measured


def _median(dicts: list[dict]) -> dict:
    return {key: statistics.median(d[key] for d in dicts) for key in dicts[0]}


def _row(variant: str, use_case: str, m: dict) -> list:
    c, s = m["counts"], m["split"]
    return [variant, use_case, c["units"], c["calls_between"], c["db_calls"], c["queue_hops"],
            m["p50_ms"], s["own_ms"], s["other_services_ms"], s["database_ms"], s["queue_ms"]]


def _ratio(p50: dict, use_case: str) -> str:
    mono, micro = p50["monolith", use_case], p50["microservices", use_case]
    return f"monolith {mono:.1f} ms, microservices {micro:.1f} ms ({micro / mono:.1f}x)"

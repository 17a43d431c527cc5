"""cost (S2, S4): the monthly bill at 1,000, 100,000 and 10,000,000 orders a month. Serverless
from what one order's traffic was measured to use (billed function time at its configured
memory, requests, DynamoDB units, queue requests); the always-on variants from their measured
memory and CPU, on the smallest instances that hold them, two for availability."""

import json
import math
import re
from pathlib import Path

import requests

from launcher.experiments import cpu, memory, results, shopping, spans, svg
from launcher.experiments.stand import Stand

NAME, CLAIMS = "cost", ["S2", "S4"]
DEFAULT_VARIANTS = ["monolith", "microservices", "serverless"]
VOLUMES = [1_000, 100_000, 10_000_000]
PRICES = Path(__file__).with_name("aws_prices.json")
TEMPLATE = Path(__file__).resolve().parents[2] / "serverless" / "template.yaml"
PRODUCT_READS = 3  # one order's traffic: three product pages, the order, one look at it
COLUMNS = ["variant", "measured per order", *[f"$ / month at {v:,}" for v in VOLUMES]]
UNITS = {"PutItem": 1, "UpdateItem": 1, "DeleteItem": 1, "TransactWriteItems": 4,
         "GetItem": 0.5, "Query": 0.5, "BatchGetItem": 0.5, "TransactGetItems": 2, "Scan": 0.5}
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}
PRIME_VIDEO = ("Prime Video's monitoring service (2023) cut its infrastructure cost by 90% moving "
               "from Step Functions + Lambda to one process on ECS")


def run(variants: list[str], quick: bool) -> dict:
    prices, orders = json.loads(PRICES.read_text()), (2 if quick else 20)
    per_order, monthly = {}, {}
    for variant in variants:
        with Stand(variant, traced=variant == "serverless") as shop:
            if variant == "serverless":
                per_order[variant] = _serverless_usage(shop, orders)
                monthly[variant] = [_serverless_bill(per_order[variant], prices, v) for v in VOLUMES]
            else:
                per_order[variant] = _always_on_usage(shop, orders)
                monthly[variant] = [_always_on_bill(per_order[variant], prices, v) for v in VOLUMES]
    rows = [[v, _describe(per_order[v]), *monthly[v]] for v in variants]
    return results.result(
        NAME, CLAIMS, COLUMNS, rows, per_order=per_order, prices_as_of=prices["as_of"],
        findings=_break_even(per_order, monthly, prices) + [f"outside evidence: {PRIME_VIDEO}"],
        svg_text=svg.log_lines("Monthly cost by orders a month (log-log)", "orders a month",
                               "USD a month",
                               {v: list(zip(VOLUMES, monthly[v], strict=True)) for v in variants}))


def _traffic(http: requests.Session, shop: Stand) -> list[str]:
    """One order's requests; their X-Request-Ids."""
    sku, ids = shop.skus[0], []
    for _ in range(PRODUCT_READS):
        ids.append(shopping.do(http, shop.url, "read a product", sku, None).headers["X-Request-Id"])
    placed = shopping.place(http, shop.url, sku)
    ids.append(placed.headers["X-Request-Id"])
    read = shopping.do(http, shop.url, "read the order", sku, placed.json()["id"])
    ids.append(read.headers["X-Request-Id"])
    return ids


def _serverless_usage(shop: Stand, orders: int) -> dict:
    usage = {"http_requests": 0, "invocations": 0, "gb_seconds": 0.0, "write_units": 0.0,
             "read_units": 0.0, "sqs_requests": 0}
    gb = _memory_mb() / 1024
    with requests.Session() as http:
        for _ in range(orders):
            for request_id in _traffic(http, shop):
                found = spans.of_request(shop.control_url, request_id, settle=0.5)
                usage["http_requests"] += 1
                for invocation in _invocations(found):
                    usage["invocations"] += 1
                    billed_ms = math.ceil((invocation["end"] - invocation["start"]) / 1e6)
                    usage["gb_seconds"] += billed_ms / 1000 * gb
                for span in found:
                    _count_aws(span, usage)
    return {key: value / orders for key, value in usage.items()}


def _invocations(found: list[dict]) -> list[dict]:
    """A function's outermost span per invocation (the local API Gateway's own span is not one)."""
    by_id = {s["span_id"]: s for s in found}
    return [s for s in found if s["service"].endswith("Function")
            and by_id.get(s["parent_id"], {}).get("service") != s["service"]]


def _count_aws(span: dict, usage: dict) -> None:
    attributes, method = span["attributes"], span["attributes"].get("rpc.method", "")
    if attributes.get("rpc.service") == "SQS":
        usage["sqs_requests"] += 1
    elif span["kind"] == "consumer" and attributes.get("messaging.system") == "aws_sqs":
        usage["sqs_requests"] += 2  # the event source's receive and delete, untraced
    elif attributes.get("db.system") == "dynamodb":
        consumed = [json.loads(c)["CapacityUnits"]
                    for c in attributes.get("aws.dynamodb.consumed_capacity", [])]
        units = sum(consumed) if consumed else UNITS.get(method, 1)
        usage["write_units" if method in WRITES else "read_units"] += units


def _memory_mb() -> int:
    found = re.search(r"MemorySize:\s*(\d+)", TEMPLATE.read_text())
    return int(found.group(1)) if found else 128


def _always_on_usage(shop: Stand, orders: int) -> dict:
    pids = [s.pid for s in shop.supervisor.statuses()]
    before = cpu.seconds(pids)
    with requests.Session() as http:
        for _ in range(orders):
            _traffic(http, shop)
    used = cpu.seconds(pids) - before
    pss = sum(memory.memory(pid)["pss_mib"] + memory.own_pss_mib(pid) for pid in pids)
    return {"cpu_seconds": used / orders, "memory_mib": pss}


def _serverless_bill(use: dict, prices: dict, orders: int) -> float:
    p = {k: v["value"] for k, v in prices.items() if isinstance(v, dict) and "value" in v}
    per_order = (use["http_requests"] * p["http_api_per_million_requests"] / 1e6
                 + use["invocations"] * p["lambda_per_million_requests"] / 1e6
                 + use["gb_seconds"] * p["lambda_arm64_per_gb_second"]
                 + use["write_units"] * p["dynamodb_per_million_write_units"] / 1e6
                 + use["read_units"] * p["dynamodb_per_million_read_units"] / 1e6
                 + use["sqs_requests"] * p["sqs_per_million_requests"] / 1e6)
    storage = orders * 2 / 1024 / 1024 * p["dynamodb_per_gb_month"]
    return round(orders * per_order + storage, 2)


def _always_on_bill(use: dict, prices: dict, orders: int) -> float:
    ec2, hours = prices["ec2_per_hour"], prices["hours_per_month"]["value"]
    fits = [name for name, gib in ec2["memory_gib"].items() if gib * 1024 >= use["memory_mib"] * 1.5]
    size = fits[0] if fits else "t4g.large"
    peak_vcpus = use["cpu_seconds"] * orders / (hours * 3600) * 10
    count = max(2, math.ceil(peak_vcpus / (ec2["vcpus"] * 0.5)))
    fixed = prices["rds_postgres_db_t4g_micro_per_hour"]["value"] + prices["alb_per_hour"]["value"]
    return round((count * ec2["value"][size] + fixed) * hours, 2)


def _describe(use: dict) -> str:
    return ", ".join(f"{k} {v:.3g}" for k, v in use.items())


def _break_even(per_order: dict, monthly: dict, prices: dict) -> list[str]:
    if "serverless" not in monthly:
        return []
    unit = _serverless_bill(per_order["serverless"], prices, 1_000_000) / 1_000_000
    return [f"serverless costs ${unit * 1000:.3f} per 1,000 orders; it is cheaper than {v} "
            f"(${monthly[v][0]:,.2f} a month at the least) "
            f"up to about {monthly[v][0] / unit:,.0f} orders a month"
            for v in monthly if v != "serverless" and unit > 0]

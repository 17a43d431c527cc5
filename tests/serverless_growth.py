"""How the serverless variant's cost per call and its local AWS's memory change with the orders
stored: `shop up serverless` on a fresh data directory, orders placed through the HTTP API by a
few clients at once up to each size, and at each size the p50 of sequential `POST /orders` and
`GET /notifications?order_id=` and the local AWS's resident memory.

Run: .venv/bin/python -m tests.serverless_growth --port 45100 --sizes 100,1000,10000
(the local AWS on the port after it). Not a test: numbers for docs/serverless.md#measured.
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

SKU = "GROWTH-1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=45100)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--samples", type=int, default=100)
    args = parser.parse_args()
    token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory() as data_dir:
        env = os.environ | {"SHOP_DATA_DIR": data_dir, "SHOP_ADMIN_TOKEN": token}
        shop = subprocess.Popen([str(Path(sys.executable).with_name("shop")), "up", "serverless",
                                 "--port", str(args.port)], env=env, stdout=subprocess.DEVNULL)
        try:
            run(f"http://127.0.0.1:{args.port}", token, args)
        finally:
            shop.terminate()
            shop.wait(30)


def run(base: str, token: str, args) -> None:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    _wait(http, base + "/health")
    http.post(base + "/products", json={"sku": SKU, "name": "Growth", "price_cents": 100,
                                        "stock": 1_000_000}, timeout=10).raise_for_status()
    stored = 0
    print("orders stored | POST /orders p50 ms | GET /notifications p50 ms | local AWS RSS MiB")
    for size in map(int, args.sizes.split(",")):
        last = _preload(base, args, size - stored)
        stored = size
        _wait_for_notification(http, base, last)  # the publisher and the worker caught up
        post, ids = _timed(lambda i: _order(http, base), args.samples)
        get, _ = _timed(lambda i: http.get(f"{base}/notifications", timeout=10,
                                           params={"order_id": ids[i % len(ids)]}), args.samples)
        stored += args.samples
        print(f"{size:>13} | {post:>18.1f} | {get:>25.1f} | {_rss_mib(args.port + 1):>17.1f}", flush=True)


def _order(http, base: str) -> str:
    resp = http.post(base + "/orders", timeout=30, headers={"Idempotency-Key": uuid.uuid4().hex},
                     json={"customer_email": f"c{uuid.uuid4().hex[:8]}@example.com",
                           "payment_method": "pm_card_visa", "items": [{"sku": SKU, "quantity": 1}]})
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


def _timed(call, count: int) -> tuple[float, list]:
    times, results = [], []
    for i in range(count):
        start = time.perf_counter()
        results.append(call(i))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, results


def _preload(base: str, args, count: int) -> str:
    """The id of the last order placed."""
    sessions = [requests.Session() for _ in range(args.clients)]
    with ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(lambda i: _order(sessions[i % args.clients], base), range(count)))
    return _order(sessions[0], base)


def _wait_for_notification(http, base: str, order_id: str) -> None:
    for _ in range(6000):
        if http.get(f"{base}/notifications", params={"order_id": order_id}, timeout=10).json():
            return
        time.sleep(0.1)
    raise SystemExit(f"no notification for {order_id} after 10 minutes")


def _wait(http, url: str) -> None:
    for _ in range(300):
        try:
            if http.get(url, timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def _rss_mib(aws_port: int) -> float:
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = status.read_bytes().split(b"\0")
            if b"serverless.local.aws" in command and str(aws_port).encode() in command:
                for line in status.with_name("status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            continue
    return float("nan")


if __name__ == "__main__":
    main()

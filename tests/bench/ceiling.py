"""The ceiling: what the stack allows with none of the shop's code. A bare Flask app answering
`GET /products/{sku}` with a fixed product (no database, no request id, no error handling),
served by gunicorn with the variants' own settings (launcher/gunicorn_conf.py), timed by the
same clients, right before each variant is launched (the machine's load changes within a
run). A variant's req/s is shown as a share of the ceiling timed before it.

The same app answers `POST /orders` with a fixed order, after passing the request on to each of
CEILING_NEXT's URLs in turn: chained, such apps are a variant's order path with none of the
shop in it (bare_path.py).

`gunicorn -c python:launcher.gunicorn_conf 'tests.bench.ceiling:create_app()'` serves it alone.
"""

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

import requests
import urllib3
from flask import Flask, Response, request

from launcher.variants import Process, gunicorn
from tests.contract.launch import REPO_ROOT, free_base_port

from .load import SECONDS, Client, run

ENDPOINT = "GET /products/{sku}"
ORDER_ENDPOINT = "POST /orders"
SKU = "CEILING-1"
HEALTH_DEADLINE = 30
APP = "tests.bench.ceiling:create_app()"


def create_app(config: Mapping | None = None) -> Flask:
    """`NEXT`: the base URLs an order is passed on to (CEILING_NEXT, comma-separated, if no config)."""
    if config is None:
        config = {"NEXT": [url for url in os.environ.get("CEILING_NEXT", "").split(",") if url]}
    app = Flask(__name__)
    product = json.dumps({"sku": SKU, "name": "Benchmark product", "price_cents": 250,
                          "stock": 1_000_000})
    order = json.dumps({"id": "ceiling-order", "status": "confirmed", "total_cents": 250})
    # One kept-open connection pool per next app, as the variants' internal calls have.
    passed_on = [urllib3.connection_from_url(url, maxsize=8, timeout=10.0) for url in config["NEXT"]]

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.get("/products/<sku>")
    def product_page(sku):
        return Response(product, mimetype="application/json")

    @app.post("/orders")
    def place_order():
        body = request.get_data()
        for pool in passed_on:
            answer = pool.request("POST", "/orders", body=body,
                                  headers={"Content-Type": "application/json"})
            if answer.status != 201:
                return Response(status=502)
        return Response(order, status=201, mimetype="application/json")

    return app


@contextlib.contextmanager
def served(log_path: Path, process: Process | None = None):
    """The ceiling app (or `process`, another gunicorn of it) on a free port; its base URL,
    stopped after."""
    process = process or gunicorn("ceiling", APP, free_base_port())
    env = {k: v for k, v in (os.environ | process.env).items() if v is not None}
    with open(log_path, "wb") as log:
        child = subprocess.Popen(process.argv, cwd=REPO_ROOT, env=env, stdout=log,
                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 start_new_session=True)
    try:
        base_url = f"http://127.0.0.1:{process.port}"
        _wait_healthy(base_url, child)
        yield base_url
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(15)


def _wait_healthy(base_url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + HEALTH_DEADLINE
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the ceiling app exited with {process.returncode}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(base_url + "/health", timeout=1).ok:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the ceiling app was not healthy within {HEALTH_DEADLINE} s")


def measure_ceiling(base_url: str, path_url: str | None = None, count: int = 300,
                    clients: int = 8, warmup: int = 20, seconds: float = SECONDS) -> dict:
    """The variants' report for the ceiling's endpoints, timed as theirs are (measure.py): from
    one client, then from `clients` at once, after the same warm-up. `POST /orders` goes to
    `path_url`, the variant's bare path, if it has one."""
    urls = {ENDPOINT: base_url} | ({ORDER_ENDPOINT: path_url} if path_url else {})
    report: dict = {"clients": clients, "sequential": {}, "concurrent": {}}
    for endpoint, url in urls.items():
        single = [Client(url, [SKU], [])]
        many = [Client(url, [SKU], []) for _ in range(clients)]
        for client in single + many:
            for i in range(warmup):
                client.call(endpoint, i)
        report["sequential"][endpoint] = run(single, endpoint, count, seconds)
        report["concurrent"][endpoint] = run(many, endpoint, count, seconds)
        for client in single + many:
            client.http.close()
    return report

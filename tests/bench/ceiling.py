"""The ceiling: what the stack allows with none of the shop's code. A bare Flask app answering
`GET /products/{sku}` with a fixed product (no database, no request id, no error handling),
served by gunicorn with the variants' own settings (launcher/gunicorn_conf.py), timed by the
same clients, right before each variant is launched (the machine's load changes within a
run). A variant's req/s is shown as a share of the ceiling timed before it.

`gunicorn -c python:launcher.gunicorn_conf 'tests.bench.ceiling:create_app()'` serves it alone.
"""

import contextlib
import json
import signal
import subprocess
import time
from pathlib import Path

import requests
from flask import Flask, Response

from launcher.variants import gunicorn
from tests.contract.launch import REPO_ROOT, free_base_port

from .load import SECONDS, Client, run

ENDPOINT = "GET /products/{sku}"
SKU = "CEILING-1"
HEALTH_DEADLINE = 30


def create_app() -> Flask:
    app = Flask(__name__)
    body = json.dumps({"sku": SKU, "name": "Benchmark product", "price_cents": 250,
                       "stock": 1_000_000})

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.get("/products/<sku>")
    def product(sku):
        return Response(body, mimetype="application/json")

    return app


@contextlib.contextmanager
def served(log_path: Path):
    """The ceiling app under gunicorn on a free port; its base URL, stopped after."""
    port = free_base_port()
    argv = gunicorn("ceiling", "tests.bench.ceiling:create_app()", port).argv
    with open(log_path, "wb") as log:
        process = subprocess.Popen(argv, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_healthy(base_url, process)
        yield base_url
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(15)


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


def measure_ceiling(base_url: str, count: int = 300, clients: int = 8, warmup: int = 20,
                    seconds: float = SECONDS) -> dict:
    """The variants' report for the one endpoint, timed as theirs are (measure.py): from one
    client, then from `clients` at once, after the same warm-up."""
    single = [Client(base_url, [SKU], [])]
    many = [Client(base_url, [SKU], []) for _ in range(clients)]
    for client in single + many:
        for i in range(warmup):
            client.call(ENDPOINT, i)
    report = {"clients": clients,
              "sequential": {ENDPOINT: run(single, ENDPOINT, count, seconds)},
              "concurrent": {ENDPOINT: run(many, ENDPOINT, count, seconds)}}
    for client in single + many:
        client.http.close()
    return report

"""The measuring function: the load against one running variant, as a report of numbers."""

import uuid

import requests

from .load import ENDPOINTS, SECONDS, TIMEOUT, Client, run

SEED_PRODUCTS = 5
SEED_STOCK = 1_000_000  # the contract's largest stock: no order of a run can run out


def seed(base_url: str, admin_token: str) -> list[str]:
    """A few products with stock enough for every order of the run; returns their SKUs."""
    skus = [f"BENCH-{uuid.uuid4().hex[:8].upper()}" for _ in range(SEED_PRODUCTS)]
    with requests.Session() as http:
        for sku in skus:
            body = {"sku": sku, "name": "Benchmark product", "price_cents": 250,
                    "stock": SEED_STOCK}
            resp = http.post(base_url + "/products", json=body, timeout=TIMEOUT,
                             headers={"Authorization": f"Bearer {admin_token}"})
            resp.raise_for_status()
    return skus


def measure(base_url: str, admin_token: str, count: int = 300, clients: int = 8,
            warmup: int = 20, seconds: float = SECONDS) -> dict:
    """Per endpoint, `count` timed requests from one client (more, until `seconds` have passed),
    then as many spread over `clients` concurrent clients. Each client first makes `warmup`
    untimed requests of every endpoint, so connections are open and the server's code paths
    are warm."""
    skus, order_ids = seed(base_url, admin_token), []
    single = [Client(base_url, skus, order_ids)]
    many = [Client(base_url, skus, order_ids) for _ in range(clients)]
    for client in single + many:
        for endpoint in ENDPOINTS:  # POST /orders before GET /orders/{id}: ids to read
            for i in range(warmup):
                client.call(endpoint, i)
    report = {"clients": clients, "sequential": {}, "concurrent": {}}
    for endpoint in ENDPOINTS:
        report["sequential"][endpoint] = run(single, endpoint, count, seconds)
    for endpoint in ENDPOINTS:
        report["concurrent"][endpoint] = run(many, endpoint, count, seconds)
    for client in single + many:
        client.http.close()
    return report

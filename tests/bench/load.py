"""The load: timed requests of one endpoint from one keep-alive client or from several in threads,
each client with its own requests.Session."""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

TIMEOUT = 10  # seconds; a request that takes longer counts as an error, not a hang
# A run goes on past its count until it has lasted this long: 300 fast reads over 8 clients take
# half a second, in which one busy moment of the machine moved req/s by a quarter.
SECONDS = 2.0
ENDPOINTS = ("GET /products/{sku}", "GET /products", "POST /orders", "GET /orders/{id}")


class Client:
    """One client with its own keep-alive connections; order ids are shared by all clients."""

    def __init__(self, base_url: str, skus: list[str], order_ids: list[str]):
        self.base_url, self.skus, self.order_ids = base_url, skus, order_ids
        self.http = requests.Session()

    def call(self, endpoint: str, i: int) -> bool:
        """One request of `endpoint`; True when it got the answer it should."""
        sku = self.skus[i % len(self.skus)]
        try:
            if endpoint == "POST /orders":
                return self._order(sku)
            if endpoint == "GET /orders/{id}" and not self.order_ids:
                return False  # no order was placed to read: every order failed
            return self.http.get(self.base_url + self._path(endpoint, sku, i), timeout=TIMEOUT).ok
        except requests.RequestException:
            return False

    def _path(self, endpoint: str, sku: str, i: int) -> str:
        if endpoint == "GET /orders/{id}":
            return f"/orders/{self.order_ids[i % len(self.order_ids)]}"
        return f"/products/{sku}" if endpoint == "GET /products/{sku}" else "/products"

    def _order(self, sku: str) -> bool:
        body = {"customer_email": "bench@example.com", "payment_method": "pm_card_visa",
                "items": [{"sku": sku, "quantity": 1}]}
        resp = self.http.post(self.base_url + "/orders", json=body, timeout=TIMEOUT,
                              headers={"Idempotency-Key": uuid.uuid4().hex})
        if resp.status_code != 201:
            return False
        self.order_ids.append(resp.json()["id"])  # list.append is atomic: threads share it
        return True


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def _timed(client: Client, endpoint: str, first: int, step: int, count: int,
           until: float) -> tuple[list[float], int]:
    """This client's share of `count` requests (indexes first, first + step, ...), and more
    after them until the clock reaches `until`."""
    latencies, errors, i = [], 0, first
    while i < count or time.perf_counter() < until:
        start = time.perf_counter()
        errors += not client.call(endpoint, i)
        latencies.append(time.perf_counter() - start)
        i += step
    return latencies, errors


def run(clients: list[Client], endpoint: str, count: int, seconds: float = SECONDS) -> dict:
    """At least `count` requests of `endpoint`, for at least `seconds`, spread over the clients,
    all at once; their statistics."""
    n = len(clients)
    with ThreadPoolExecutor(n) as pool:
        start = time.perf_counter()
        parts = list(pool.map(
            lambda k: _timed(clients[k], endpoint, k, n, count, start + seconds), range(n)))
        wall = time.perf_counter() - start
    latencies = sorted(value for part, _ in parts for value in part)
    return {"requests": len(latencies), "errors": sum(errors for _, errors in parts),
            **{f"p{p}_ms": percentile(latencies, p) * 1000 for p in (50, 95, 99)},
            "rps": len(latencies) / wall}

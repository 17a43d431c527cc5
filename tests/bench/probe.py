"""The growth measurement's timed clients, one per launched copy of a variant: reads spread
over every stored order, and new orders. They take turns, request by request (each endpoint of
each copy, then the next round), so a moment of load on the machine falls on all alike."""

import time

import requests

from .load import TIMEOUT, percentile
from .preload import Preloader

# POST /orders last: the rounds that skip it leave it out by position.
ENDPOINTS = ("GET /products/{sku}", "GET /orders/{id}", "GET /orders?customer_email=",
             "GET /notifications?order_id=", "POST /orders")
SPREAD = 7919  # a prime: reads walk over all stored orders, old and new, not the last few
SETTLE_DEADLINE = 300  # seconds an asynchronous variant may take to notify the last order
POST_EVERY = 3  # rounds per order placed: more reads steady their median, fewer orders keep
                # the small copy near its count


class Prober:
    """One keep-alive client; the orders it places join the preloader's."""

    def __init__(self, preloader: Preloader, admin_token: str, customer: str):
        self.preloader, self.customer = preloader, customer
        self.http = requests.Session()
        self.admin = {"Authorization": f"Bearer {admin_token}"}

    def place(self, body: dict) -> bool:
        order_id = self.preloader.place(self.http, body)
        if order_id is not None:
            self.preloader.ids.append(order_id)  # never while a preload runs
        return order_id is not None

    def call(self, endpoint: str, i: int) -> bool:
        """One request of `endpoint`; True when it got the answer it should."""
        loader = self.preloader
        if endpoint == "POST /orders":
            return self.place(loader.body(i))
        order_id = loader.ids[i * SPREAD % len(loader.ids)]
        path, params, headers = {
            "GET /products/{sku}": (f"/products/{loader.skus[i % len(loader.skus)]}", {}, {}),
            "GET /orders/{id}": (f"/orders/{order_id}", {}, {}),
            "GET /orders?customer_email=": ("/orders", {"customer_email": self.customer},
                                            self.admin),
            "GET /notifications?order_id=": ("/notifications", {"order_id": order_id},
                                             self.admin),
        }[endpoint]
        try:
            return self.http.get(loader.base_url + path, params=params, headers=headers,
                                 timeout=TIMEOUT).ok
        except requests.RequestException:
            return False

    def settled(self) -> bool:
        """Polls until the last stored order is notified: an asynchronous variant's backlog
        would otherwise be timed too. False if it was not within SETTLE_DEADLINE."""
        params = {"order_id": self.preloader.ids[-1]}
        deadline = time.monotonic() + SETTLE_DEADLINE
        while time.monotonic() < deadline:
            resp = self.http.get(self.preloader.base_url + "/notifications", params=params,
                                 headers=self.admin, timeout=TIMEOUT)
            if resp.ok and resp.json()["items"]:
                return True
            time.sleep(0.2)
        return False

    def close(self) -> None:
        self.http.close()
        self.preloader.close()


def timed(probers: list[Prober], count: int) -> list[dict]:
    """`count` rounds of one request of each endpoint (POST /orders every POST_EVERY-th) from
    each prober in turn; each prober's statistics per endpoint."""
    latencies = [{endpoint: [] for endpoint in ENDPOINTS} for _ in probers]
    errors = [dict.fromkeys(ENDPOINTS, 0) for _ in probers]
    for i in range(count):
        for endpoint in ENDPOINTS[:-1] if i % POST_EVERY else ENDPOINTS:
            for k, prober in enumerate(probers):
                start = time.perf_counter()
                errors[k][endpoint] += not prober.call(endpoint, i)
                latencies[k][endpoint].append(time.perf_counter() - start)
    return [{endpoint: _stats(sorted(latencies[k][endpoint]), errors[k][endpoint])
             for endpoint in ENDPOINTS} for k in range(len(probers))]


def _stats(latencies: list[float], errors: int) -> dict:
    return {"requests": len(latencies), "errors": errors,
            **{f"p{p}_ms": percentile(latencies, p) * 1000 for p in (50, 95, 99)}}

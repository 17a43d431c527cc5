"""A steady, bounded mixed load from a few client threads, with every answer recorded: when it
was sent, what it was (2xx, a Problem's status and code, a timeout, a refused connection)."""

import threading
import time
from dataclasses import dataclass

import requests

from launcher.experiments import shopping

ENDPOINTS = ["GET /products/{sku}", "GET /products", "POST /orders", "GET /orders/{id}"]
TIMEOUT = (1, 3)
PACE = 0.05  # seconds between one client's requests: a steady load, not a flood


@dataclass
class Answer:
    endpoint: str
    started: float
    ended: float
    outcome: str  # ok, "503 service_unavailable", timeout, refused, ...

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


class Traffic:
    def __init__(self, shop, clients: int = 4, pace: float = PACE):
        self.shop, self.pace = shop, pace
        self.answers: list[Answer] = []
        self.orders: list[str] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(clients)]

    def __enter__(self) -> "Traffic":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def between(self, start: float, end: float) -> list[Answer]:
        return [a for a in list(self.answers) if start <= a.started < end]

    def _client(self, number: int) -> None:
        with requests.Session() as http:
            turn = number
            while not self.stopping.is_set():
                endpoint = ENDPOINTS[turn % len(ENDPOINTS)]
                turn += 1
                start = time.monotonic()
                self.answers.append(Answer(endpoint, start, time.monotonic(), self._call(http, endpoint)))
                self.answers[-1].ended = time.monotonic()
                self.stopping.wait(self.pace)

    def _call(self, http: requests.Session, endpoint: str) -> str:
        sku = self.shop.skus[0]
        try:
            if endpoint == "GET /orders/{id}":
                if not self.orders:
                    return "ok"
                answer = http.get(f"{self.shop.url}/orders/{self.orders[-1]}", timeout=TIMEOUT)
            elif endpoint == "POST /orders":
                answer = http.post(f"{self.shop.url}/orders", json=shopping.order_body(sku), timeout=TIMEOUT,
                                   headers={"Idempotency-Key": f"{time.monotonic_ns()}-{id(http)}"})
                if answer.status_code == 201:
                    self.orders.append(answer.json()["id"])
            else:
                path = f"/products/{sku}" if endpoint == "GET /products/{sku}" else "/products"
                answer = http.get(self.shop.url + path, timeout=TIMEOUT)
        except requests.Timeout:
            return "timeout"
        except requests.ConnectionError:
            return "refused"
        return "ok" if answer.status_code < 400 else _problem(answer)


def _problem(answer: requests.Response) -> str:
    try:
        code = answer.json().get("code") if "json" in answer.headers.get("Content-Type", "") else None
    except ValueError:
        code = None
    return f"{answer.status_code} {code or 'no code'}"


def share_ok(answers: list[Answer]) -> float | None:
    return round(100 * sum(a.ok for a in answers) / len(answers), 1) if answers else None


def failures(answers: list[Answer]) -> dict[str, int]:
    found: dict[str, int] = {}
    for answer in answers:
        if not answer.ok:
            found[answer.outcome] = found.get(answer.outcome, 0) + 1
    return found

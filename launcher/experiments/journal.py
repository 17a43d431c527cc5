"""A bounded, seeded load of clients placing, cancelling and restocking (eight in the crash
tier), with every request and its answer (or none) kept in a journal."""

import random
import threading
import time
from dataclasses import dataclass, field

import requests

CLIENTS = 8
TIMEOUT = (2, 10)  # connect, read: a request with no answer by then is "unanswered"
DECLINED = "pm_card_chargeDeclined"


@dataclass
class Call:
    action: str  # order, cancel or restock
    path: str
    body: dict
    key: str | None  # the Idempotency-Key of an order
    started: float
    ended: float | None = None
    status: int | None = None  # None: no answer (refused, reset, timed out)
    answer: dict = field(default_factory=dict)

    @property
    def code(self) -> str | None:
        return self.answer.get("code")

    @property
    def order_id(self) -> str | None:
        return self.answer.get("id") or self.answer.get("order_id")


class Journal:
    """Every call of the run, in the order they started; shared by the client threads."""

    def __init__(self):
        self.calls: list[Call] = []
        self.confirmed: list[str] = []  # ids of orders answered 201, for cancels to pick from
        self.lock = threading.Lock()

    def add(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)
            if call.action == "order" and call.status == 201 and call.order_id:
                self.confirmed.append(call.order_id)

    def take_confirmed(self, rng: random.Random) -> str | None:
        with self.lock:
            return self.confirmed.pop(rng.randrange(len(self.confirmed))) if self.confirmed else None


def send(http: requests.Session, base_url: str, call: Call, headers: dict) -> Call:
    """Sends the call and records its answer, or that there was none."""
    try:
        response = http.post(base_url + call.path, json=call.body, headers=headers, timeout=TIMEOUT)
    except requests.RequestException:
        call.ended = time.monotonic()
        return call
    call.ended, call.status = time.monotonic(), response.status_code
    try:
        call.answer = response.json()
    except ValueError:
        call.answer = {"text": response.text[:200]}
    return call


class Client(threading.Thread):
    """One customer-and-admin client: 70% orders, 15% cancels, 15% restocks."""

    def __init__(self, number: int, seed: int, shop, skus: list[str], journal: Journal, stop):
        super().__init__(name=f"crash-client-{number}", daemon=True)
        self.rng = random.Random(seed * 100 + number)
        self.number, self.seed, self.shop, self.skus = number, seed, shop, skus
        self.journal, self.stop = journal, stop
        self.http = requests.Session()

    def run(self) -> None:
        count = 0
        while not self.stop.is_set():
            count += 1
            roll = self.rng.random()
            call = self._cancel() if roll < 0.15 else self._restock() if roll < 0.3 else None
            call = call or self._order(count)
            self.journal.add(send(self.http, self.shop.url, call, self._headers(call)))
            self.stop.wait(self.rng.uniform(0.05, 0.2))
        self.http.close()

    def _order(self, count: int) -> Call:
        key = f"crash-{self.seed}-{self.number}-{count}-{self.rng.getrandbits(32):08x}"
        skus = self.rng.sample(self.skus, self.rng.choice([1, 2]))
        body = {"customer_email": f"{key}@example.com",
                "items": [{"sku": sku, "quantity": self.rng.randint(1, 3)} for sku in skus],
                "payment_method": DECLINED if self.rng.random() < 0.1 else "pm_card_visa"}
        return Call("order", "/orders", body, key, time.monotonic())

    def _cancel(self) -> Call | None:
        order_id = self.journal.take_confirmed(self.rng)
        return Call("cancel", f"/orders/{order_id}/cancel", {}, None, time.monotonic()) if order_id else None

    def _restock(self) -> Call:
        sku, quantity = self.rng.choice(self.skus), self.rng.randint(1, 10)
        return Call("restock", f"/products/{sku}/restock", {"quantity": quantity}, None, time.monotonic())

    def _headers(self, call: Call) -> dict:
        if call.action == "order":
            return {"Idempotency-Key": call.key}
        return {"Authorization": f"Bearer {self.shop.token}"} if call.action == "restock" else {}

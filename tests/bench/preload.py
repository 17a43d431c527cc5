"""Preloading for the growth measurement: real orders through the public API from several
keep-alive clients in threads, so every store a variant has grows as it would in use (orders,
lines, payments, notifications, idempotency keys, outboxes, streams); with a progress line every
few seconds and a time cap."""

import sys
import threading
import time
import uuid
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

import requests

PROGRESS_EVERY = 5.0  # seconds between progress lines
CUSTOMERS = 1000  # orders spread over this many customers: a few each, as in a real shop
MAX_LINES = 3  # an order has 1 to MAX_LINES lines, one item each
MAX_ERRORS = 20  # failed orders tolerated before the preload gives up: the variant is broken
TIMEOUT = 60  # seconds: generous, a slow variant is measured, not failed


class Preloader:
    """Places orders for one variant and keeps every placed order's id, in placement order."""

    def __init__(self, base_url: str, skus: list[str], clients: int, label: str):
        self.base_url, self.skus, self.label = base_url, skus, label
        self.sessions = [requests.Session() for _ in range(clients)]
        self.ids: list[str] = []
        self.errors, self._next, self._lock = 0, 0, threading.Lock()
        self.last_error = ""

    def body(self, n: int) -> dict:
        """The n-th order: a customer of many, 1 to MAX_LINES products, one of each."""
        lines = 1 + n % MAX_LINES
        skus = [self.skus[(n + k) % len(self.skus)] for k in range(lines)]
        return {"customer_email": f"customer{n % CUSTOMERS}@growth.example",
                "payment_method": "pm_card_visa",
                "items": [{"sku": sku, "quantity": 1} for sku in skus]}

    def place(self, http: requests.Session, body: dict) -> str | None:
        """One order with a fresh Idempotency-Key; its id, or None if it was not confirmed."""
        try:
            resp = http.post(self.base_url + "/orders", json=body, timeout=TIMEOUT,
                             headers={"Idempotency-Key": uuid.uuid4().hex})
        except requests.RequestException as error:
            self.last_error = repr(error)
            return None
        if resp.status_code != 201:
            self.last_error = f"{resp.status_code} {resp.text[:200]}"
            return None
        return resp.json()["id"]

    def _claim(self, target: int, deadline: float) -> int | None:
        with self._lock:
            if self._next >= target or time.monotonic() > deadline or self.errors > MAX_ERRORS:
                return None
            self._next += 1
            return self._next

    def _work(self, http: requests.Session, target: int, deadline: float) -> None:
        while (n := self._claim(target, deadline)) is not None:
            order_id = self.place(http, self.body(n))
            with self._lock:
                if order_id is None:
                    self.errors += 1
                    self._next -= 1  # try that count again: the target is orders stored
                else:
                    self.ids.append(order_id)

    def fill(self, target: int, deadline: float) -> bool:
        """Places orders until `target` are stored; False if the deadline came first."""
        start, stored = time.monotonic(), len(self.ids)
        self._next = stored  # the timed client's orders count as stored too
        with ThreadPoolExecutor(len(self.sessions)) as pool:
            futures = [pool.submit(self._work, http, target, deadline) for http in self.sessions]
            while wait(futures, PROGRESS_EVERY, FIRST_EXCEPTION).not_done:
                self._progress(target, start, stored)
        for future in futures:
            future.result()  # a worker's unexpected exception is the run's
        if self.errors > MAX_ERRORS:
            raise RuntimeError(f"{self.label}: {self.errors} orders failed during the preload, "
                               f"the last with {self.last_error}")
        return len(self.ids) >= target

    def _progress(self, target: int, start: float, stored_at_start: int) -> None:
        elapsed = time.monotonic() - start
        rate = (len(self.ids) - stored_at_start) / elapsed if elapsed else 0.0
        failed = f", {self.errors} failed" if self.errors else ""
        print(f"  {self.label}: {len(self.ids):,} / {target:,} orders stored, {elapsed:.0f} s, "
              f"{rate:.0f} orders/s{failed}", file=sys.stderr, flush=True)

    def close(self) -> None:
        for http in self.sessions:
            http.close()

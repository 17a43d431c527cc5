"""The growth measurement (`--preload N`): two copies of a variant, launched side by side, one
holding about 100 orders and the other N, timed in turn request by request from one keep-alive
client each, so a cost that grows with the data shows as a ratio and the machine's other load
falls on both alike. Orders are stored through the public API (tests/bench/preload.py)."""

import os
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import requests

from .load import TIMEOUT
from .measure import seed
from .preload import Preloader
from .probe import ENDPOINTS, Prober, timed

FEW_ORDERS = 3  # the listed customer's orders: a listing's cost must not follow everyone's


@dataclass
class Copy:
    """One launched copy of the variant: where it answers, and its memory now."""
    base_url: str
    admin_token: str
    memory_now: Callable[[], dict] = dict


def ensure_stock(base_url: str, admin_token: str, skus: list[str], need: int) -> None:
    """Restocks every product that has fewer than `need` units, so no order runs out."""
    headers = {"Authorization": f"Bearer {admin_token}"}
    with requests.Session() as http:
        for sku in skus:
            stock = http.get(f"{base_url}/products/{sku}", timeout=TIMEOUT).json()["stock"]
            while stock < need:
                quantity = min(need - stock, 1_000_000)
                http.post(f"{base_url}/products/{sku}/restock", json={"quantity": quantity},
                          headers=headers, timeout=TIMEOUT).raise_for_status()
                stock += quantity


def _say(label: str, message: str) -> None:
    print(f"  {label}: {message}", file=sys.stderr, flush=True)


def _capped(label: str, reached: bool) -> None:
    if not reached:
        _say(label, "the time cap (--preload-cap) was reached: the preload stopped there, "
                    "and the endpoints are timed with the orders stored so far")


def _prepared(copy: Copy, baseline: int, warmup: int, clients: int, label: str,
              deadline: float) -> Prober:
    """Products, the listed customer's few orders, and orders up to `baseline` less the warm-up
    (whose orders count too: timing starts with `baseline` stored)."""
    loader = Preloader(copy.base_url, seed(copy.base_url, copy.admin_token), clients, label)
    prober = Prober(loader, copy.admin_token, f"few-{uuid.uuid4().hex[:8]}@growth.example")
    for _ in range(FEW_ORDERS):
        if not prober.place({**loader.body(0), "customer_email": prober.customer}):
            raise RuntimeError(f"{label}: an order failed before the preload")
    _capped(label, loader.fill(baseline - warmup, deadline))
    return prober


def _preload(copy: Copy, prober: Prober, target: int, units: int, deadline: float,
             label: str) -> dict:
    loader = prober.preloader
    ensure_stock(copy.base_url, copy.admin_token, loader.skus, units)
    start, before = time.monotonic(), len(loader.ids)
    reached = loader.fill(target, deadline)
    preload_s, placed = time.monotonic() - start, len(loader.ids) - before
    _say(label, f"preloaded {placed:,} orders in {preload_s:.0f} s")
    _capped(label, reached)
    return {"preload_s": preload_s, "placed": placed, "capped": not reached,
            "errors": loader.errors}


def _ready(prober: Prober, warmup: int, label: str) -> int:
    """Warm up (connections idle during the preload may have been closed) and wait for the
    copy to catch up; the orders it stores then."""
    for endpoint in ENDPOINTS:
        for i in range(warmup):
            prober.call(endpoint, i)
    if not prober.settled():
        _say(label, "the last order was still not notified: timed with the backlog")
    return len(prober.preloader.ids)


def measure_growth(small: Copy, large: Copy, preload: int, *, baseline: int = 100,
                   count: int = 100, warmup: int = 10, clients: int = 4, cap_s: float = 1200,
                   label: str = "variant") -> dict:
    """The endpoints timed on `small` at `baseline` stored orders and, in turn, on `large` at
    `preload` (or at as many as `cap_s` seconds of preloading placed)."""
    deadline = time.monotonic() + cap_s
    names = (f"{label} (small copy)", label)
    probers = []
    try:
        for copy, name in zip((small, large), names, strict=True):
            probers.append(_prepared(copy, baseline, warmup, clients, name, deadline))
        # Each order takes at most one unit of a product: preload + count units are enough.
        growth = _preload(large, probers[1], preload - warmup, preload + count, deadline, label)
        stored = [_ready(prober, warmup, name) for prober, name in zip(probers, names, strict=True)]
        load = os.getloadavg()[0]
        _say(label, f"timing at {stored[0]:,} and {stored[1]:,} orders stored, in turn")
        stats = timed(probers, count)
    finally:
        for prober in probers:
            prober.close()
    return {**growth, **{key: {"stored": n, "stats": s, "memory": copy.memory_now(),
                               "load": load}
                         for key, n, s, copy in zip(("before", "after"), stored, stats,
                                                    (small, large), strict=True)}}

"""The crash invariants checked on a shop whose load has stopped: its stores read once recovery
and delivery have done their work, what HTTP shows per Idempotency-Key, and every breach found."""

import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import requests

from launcher.experiments import invariants
from launcher.experiments.journal import CLIENTS, Call
from launcher.experiments.stores import Snapshot

# What each check means, in the words a result shows -> the check.
CHECKS: dict[str, Callable[[invariants.Facts], list[str]]] = {
    "every order and cancel has an outcome": invariants.every_request_has_an_outcome,
    "one order per Idempotency-Key": invariants.one_order_per_key,
    "stock = initial + restocks - confirmed": invariants.stock_balances,
    "no charge without its order": lambda facts: invariants.payments_match_orders(facts.store),
    "nothing left pending": lambda facts: invariants.nothing_left_pending(facts.store),
    "one notification per event": lambda facts: invariants.one_notification_per_event(facts.store),
}


def settled(read: Callable[[], Snapshot], deadline: float) -> Snapshot:
    """The stores once recovery and delivery have done their work, or as they are at the deadline."""
    until = time.monotonic() + deadline
    while True:
        store = read()
        done = not (invariants.nothing_left_pending(store) or invariants.one_notification_per_event(store))
        if done or time.monotonic() > until:
            return store
        time.sleep(0.5)


def only(store: Snapshot, keys: Iterable[str]) -> Snapshot:
    """The orders placed with these keys, their payments, notifications and reservations."""
    wanted = set(keys)
    ids = {i for i, o in store.orders.items() if invariants.key_of(o["customer_email"]) in wanted}
    return Snapshot({i: store.orders[i] for i in ids}, {i: s for i, s in store.payments.items() if i in ids},
                    Counter({k: n for k, n in store.notifications.items() if k[0] in ids}),
                    [i for i in store.held if i in ids])


def facts(url: str, token: str, initial: dict[str, int], calls: list[Call],
          store: Snapshot) -> invariants.Facts:
    """The run's facts: what HTTP shows for each key and each SKU of `initial`, and the stores."""
    admin = {"Authorization": f"Bearer {token}"}
    keys = sorted({c.key for c in calls if c.key})
    with requests.Session() as http, ThreadPoolExecutor(CLIENTS) as pool:
        def get(path: str, **params: str) -> list[dict]:
            return _get(http, url + path, admin, params)["items"]
        shown = dict(zip(keys, pool.map(lambda k: get("/orders", customer_email=f"{k}@example.com"), keys),
                         strict=True))
        stock = {p["sku"]: p["stock"] for p in get("/products") if p["sku"] in initial}
    return invariants.Facts(initial, calls, shown, stock, store)


def undelivered(store: Snapshot) -> list[str]:
    """The orders with fewer notifications than their state calls for, and none with more."""
    counts = [(i, kind, store.notifications[i, kind], invariants.NOTIFIED.get(o["status"], {}).get(kind, 0))
              for i, o in store.orders.items() for kind in ("order_confirmed", "order_cancelled")]
    return [] if any(n > want for *_, n, want in counts) else [i for i, _, n, want in counts if n < want]


def breaches(facts: invariants.Facts) -> dict[str, list[str]]:
    """Each check that broke -> what broke; empty when every invariant held."""
    found = {name: check(facts) for name, check in CHECKS.items()}
    return {name: found[name] for name in CHECKS if found[name]}


def _get(http: requests.Session, url: str, headers: dict, params: dict) -> dict:
    for _ in range(20):  # the shop is back by now; a blip is not what these reads test
        try:
            response = http.get(url, headers=headers, params=params, timeout=10)
            if response.status_code == 200:
                return response.json()
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"GET {url} {params} did not answer 200 after the run")

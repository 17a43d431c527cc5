"""What must hold after any crash, each as a function that lists every breach it finds, in words
that name the order, the key or the SKU."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from launcher.experiments.journal import Call
from launcher.experiments.retries import has_outcome
from launcher.experiments.stores import Snapshot

FINAL = {"confirmed", "rejected", "cancelled", "failed"}  # failed: a hidden, undone saga
NOTIFIED = {"confirmed": {"order_confirmed": 1}, "cancelled": {"order_confirmed": 1, "order_cancelled": 1}}
# A payment's status -> the states its order may be in.
PAYMENT_FOR = {"captured": {"confirmed"}, "refunded": {"cancelled", "failed"},
               "declined": {"rejected", "failed"}, "voided": {"failed"}}
PAYMENT_OF = {"confirmed": "captured", "cancelled": "refunded"}


@dataclass
class Facts:
    initial: dict[str, int]  # sku -> stock at the start
    calls: list[Call]  # the load's calls, then the retries' last calls
    shown: dict[str, list[dict]]  # Idempotency-Key -> GET /orders?customer_email=<its e-mail>
    stock: dict[str, int]  # sku -> GET /products
    store: Snapshot

    def last(self, action: str) -> dict[str, Call]:
        """The last call per key (orders) or per path (cancels)."""
        return {(c.key or c.path): c for c in self.calls if c.action == action}


def key_of(email: str) -> str:
    return email.removesuffix("@example.com")


def every_request_has_an_outcome(facts: Facts) -> list[str]:
    breaches = [f"order key {key}: no outcome after the retries; last answer {c.status} {c.code}"
                for key, c in facts.last("order").items() if not has_outcome(c)]
    return breaches + [f"cancel {path}: last answer {c.status} {c.code}"
                       for path, c in facts.last("cancel").items()
                       if not (c.status == 200 or c.code == "invalid_order_state")]


def one_order_per_key(facts: Facts) -> list[str]:
    breaches = []
    for key, call in facts.last("order").items():
        shown = [f"{o['id']} ({o['status']})" for o in facts.shown[key]]
        if len(shown) > 1:
            breaches.append(f"key {key}: {len(shown)} orders shown: {', '.join(shown)}")
        elif has_outcome(call) and [o["id"] for o in facts.shown[key]] != [call.order_id]:
            breaches.append(f"key {key}: answered {call.status} for order {call.order_id}, "
                            f"but GET /orders shows {shown or 'none'}")
    by_key = defaultdict(list)
    for order_id, order in facts.store.orders.items():
        by_key[key_of(order["customer_email"])].append(order_id)
    for key, ids in sorted(by_key.items()):
        kept = [i for i in ids if facts.store.orders[i]["status"] != "failed"]
        charged = [i for i in ids if facts.store.payments.get(i) == "captured"]
        if len(kept) > 1:
            breaches.append(f"key {key}: {len(kept)} orders in the store: {_states(facts.store, kept)}")
        if len(charged) > 1:
            breaches.append(f"key {key}: charged {len(charged)} times: {_states(facts.store, charged)}")
    return breaches


def stock_balances(facts: Facts) -> list[str]:
    taken: Counter[str] = Counter()
    added: Counter[str] = Counter()
    maybe: defaultdict[str, list[int]] = defaultdict(list)
    for orders in facts.shown.values():
        for item in (i for o in orders if o["status"] == "confirmed" for i in o["items"]):
            taken[item["sku"]] += item["quantity"]
    for call in (c for c in facts.calls if c.action == "restock"):
        sku, quantity = call.path.split("/")[2], call.body["quantity"]
        if call.status == 200:
            added[sku] += quantity
        elif call.status is None or call.status >= 500:  # may or may not have been applied
            maybe[sku].append(quantity)
    breaches = []
    for sku, initial in sorted(facts.initial.items()):
        expected = initial + added[sku] - taken[sku]
        if sku not in facts.stock:
            breaches.append(f"SKU {sku}: gone (GET /products does not list it), expected stock {expected}")
        elif facts.stock[sku] < 0 or facts.stock[sku] - expected not in _subset_sums(maybe[sku]):
            breaches.append(
                f"SKU {sku}: stock {facts.stock[sku]}, expected {expected} (initial {initial} + "
                f"restocked {added[sku]} - {taken[sku]} in confirmed orders) plus any of the "
                f"unanswered restocks {maybe[sku] or 'none'}")
    return breaches


def payments_match_orders(store: Snapshot) -> list[str]:
    breaches = []
    for order_id, status in sorted(store.payments.items()):
        order = store.orders.get(order_id)
        state = order["status"] if order else "missing"
        if state not in PAYMENT_FOR.get(status, ()):
            breaches.append(f"payment of order {order_id} is {status}, but the order is {state}"
                            + (f" (key {key_of(order['customer_email'])})" if order else ""))
    for order_id, order in sorted(store.orders.items()):
        needed = PAYMENT_OF.get(order["status"])
        if needed and store.payments.get(order_id) != needed:
            breaches.append(f"order {order_id} (key {key_of(order['customer_email'])}) is "
                            f"{order['status']}, but its payment is {store.payments.get(order_id)}")
    return breaches


def nothing_left_pending(store: Snapshot) -> list[str]:
    breaches = [f"order {order_id} (key {key_of(o['customer_email'])}) is still {o['status']}"
                for order_id, o in sorted(store.orders.items()) if o["status"] not in FINAL]
    return breaches + [f"order {order_id} still holds its reserved stock ({_states(store, [order_id])})"
                       for order_id in sorted(store.held)]


def one_notification_per_event(store: Snapshot) -> list[str]:
    breaches = []
    for order_id in sorted(set(store.orders) | {order_id for order_id, _ in store.notifications}):
        state = store.orders.get(order_id, {}).get("status", "missing")
        expected = NOTIFIED.get(state, {})
        for kind in ("order_confirmed", "order_cancelled"):
            if store.notifications[order_id, kind] != expected.get(kind, 0):
                breaches.append(f"order {order_id} ({state}): {store.notifications[order_id, kind]} "
                                f"{kind} notifications, expected {expected.get(kind, 0)}")
    return breaches


def _states(store: Snapshot, ids: list[str]) -> str:
    return ", ".join(f"{i} ({store.orders.get(i, {}).get('status', 'missing')}, payment "
                     f"{store.payments.get(i)})" for i in ids)


def _subset_sums(quantities: list[int]) -> set[int]:
    sums = {0}
    for quantity in quantities:
        sums |= {s + quantity for s in sums}
    return sums

"""The crash invariants as fault-isolation checks them: a store where an order was confirmed
without its charge or its notification, and its stock not taken, is reported as broken, and only
the orders of the keys asked for are checked."""

from collections import Counter

from launcher.experiments import checks
from launcher.experiments.invariants import Facts
from launcher.experiments.journal import Call
from launcher.experiments.stores import Snapshot


def _confirmed(order_id: str, key: str) -> dict:
    return {"id": order_id, "status": "confirmed", "items": [{"sku": "MUG", "quantity": 2}],
            "customer_email": f"{key}@example.com"}


def test_a_confirmed_order_without_charge_notification_or_stock_taken_breaks_three_invariants():
    call = Call("order", "/orders", {}, "k1", 0.0, 0.1, 201, {"id": "o1"})
    store = Snapshot({"o1": {"customer_email": "k1@example.com", "status": "confirmed"}}, {}, Counter())
    broken = checks.breaches(Facts({"MUG": 10}, [call], {"k1": [_confirmed("o1", "k1")]}, {"MUG": 10}, store))
    assert set(broken) == {"stock = initial + restocks - confirmed", "no charge without its order",
                           "one notification per event"}, broken


def test_the_same_order_charged_and_notified_holds_every_invariant():
    call = Call("order", "/orders", {}, "k1", 0.0, 0.1, 201, {"id": "o1"})
    store = Snapshot({"o1": {"customer_email": "k1@example.com", "status": "confirmed"}},
                     {"o1": "captured"}, Counter({("o1", "order_confirmed"): 1}))
    facts = Facts({"MUG": 10}, [call], {"k1": [_confirmed("o1", "k1")]}, {"MUG": 8}, store)
    assert checks.breaches(facts) == {}


def test_only_keeps_the_orders_of_the_keys_and_what_belongs_to_them():
    store = Snapshot({"o1": {"customer_email": "k1@example.com", "status": "confirmed"},
                      "o2": {"customer_email": "other@example.com", "status": "pending"}},
                     {"o1": "captured", "o2": "captured"},
                     Counter({("o1", "order_confirmed"): 1, ("o2", "order_confirmed"): 2}), ["o2"])
    kept = checks.only(store, {"k1"})
    assert (set(kept.orders), set(kept.payments), set(kept.notifications), kept.held) == \
        ({"o1"}, {"o1"}, {("o1", "order_confirmed")}, [])

"""Concurrency: simultaneous orders never oversell, one idempotency key places one order, stock adds up."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from .client import TIMEOUT, assert_problem, assert_status, unique_email

MAX_THREADS = 20


def run_together(shop, calls):
    """Runs each call(client) in its own thread, released at once; returns their results in order."""
    barrier = threading.Barrier(len(calls), timeout=TIMEOUT)

    def run(call):
        client = shop.clone()  # a requests.Session is not shared between threads
        try:
            barrier.wait()
            return call(client)
        finally:
            client.close()

    assert len(calls) <= MAX_THREADS
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [future.result(timeout=3 * TIMEOUT) for future in futures]


def test_last_units_are_sold_exactly_once(shop, make_product):
    sku = make_product(stock=5)["sku"]
    results = run_together(shop, [lambda c: c.place_order([(sku, 1)])] * 20)
    confirmed = [r for r in results if r.status_code == 201]
    for resp in results:
        if resp.status_code != 201:
            assert_problem(resp, 409, "out_of_stock")
    assert len(confirmed) == 5
    assert len({r.json()["id"] for r in confirmed}) == 5
    assert shop.stock(sku) == 0


def test_one_key_places_one_order(shop, make_product):
    sku = make_product(stock=10)["sku"]
    key = f"race-{uuid.uuid4()}"
    body = {"customer_email": unique_email(), "items": [{"sku": sku, "quantity": 2}],
            "payment_method": "pm_card_visa"}

    def place(client):
        return client.post("/orders", json=body, headers={"Idempotency-Key": key})

    results = run_together(shop, [place] * 10)
    created = [r for r in results if r.status_code == 201]
    for resp in results:
        if resp.status_code != 201:
            assert_problem(resp, 409, "idempotency_key_in_use")
    assert created, "no request placed the order"
    assert all(r.json() == created[0].json() for r in created), "one key gave different orders"
    assert shop.stock(sku) == 8
    assert [o["id"] for o in shop.orders_of(body["customer_email"])] == [created[0].json()["id"]]
    replay = place(shop)
    assert replay.status_code == 201 and replay.json() == created[0].json()


def test_simultaneous_cancels_refund_once(shop, make_product):
    sku = make_product(stock=3)["sku"]
    order_id = assert_status(shop.place_order([(sku, 3)]), 201)["id"]
    results = run_together(shop, [lambda c: c.cancel(order_id)] * 8)
    assert [r.status_code for r in results].count(200) == 1
    for resp in results:
        if resp.status_code != 200:
            assert_problem(resp, 409, "invalid_order_state")
    assert shop.stock(sku) == 3
    notes = shop.wait_for_notifications(order_id, 2)
    assert sorted(n["kind"] for n in notes) == ["order_cancelled", "order_confirmed"]


def order_ids(results) -> list[str]:
    """The id of every order a batch of POST /orders recorded, whatever its outcome."""
    ids = []
    for resp in results:
        if resp.status_code == 201:
            ids.append(resp.json()["id"])
        else:
            ids.append(assert_problem(resp, 409, "out_of_stock")["order_id"])
    return ids


def test_stock_always_adds_up(shop, make_product):
    initial, restock, sku = 10, 3, make_product(stock=10)["sku"]
    place = [lambda c, q=q: c.place_order([(sku, q)]) for q in (1, 2, 3) * 5]
    refill = [lambda c: c.restock(sku, restock)] * 4
    first = run_together(shop, place + refill)
    assert all(r.status_code == 200 for r in first[len(place):])
    ids = order_ids(first[:len(place)])
    confirmed = [i for i in ids if shop.order(i)["status"] == "confirmed"]
    # Second round: cancel half of the confirmed orders while new orders compete for the stock.
    cancel = [lambda c, i=i: c.cancel(i) for i in confirmed[::2]]
    second = run_together(shop, cancel + place[:20 - len(cancel)])
    assert all(r.status_code == 200 for r in second[:len(cancel)])
    ids += order_ids(second[len(cancel):])
    orders = [shop.order(i) for i in ids]
    sold = sum(o["items"][0]["quantity"] for o in orders if o["status"] == "confirmed")
    stock = shop.stock(sku)
    assert stock >= 0
    assert stock == initial + 4 * restock - sold, (stock, sold)

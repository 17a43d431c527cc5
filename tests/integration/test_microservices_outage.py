"""Stopping one microservice mid-way: the gateway answers a prompt 503 where it must, browsing
goes on where it can, and the saga leaves nothing half done: no stock taken without an order,
nothing charged without stock, every notification delivered once when its service is back."""

import signal
import time
import uuid

from tests.integration.microservices_running import ORDERS_READ_TIMEOUT
from tests.integration.running import ADMIN, assert_service_unavailable, wait_for


def email(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:8]}@example.com"


def test_payments_down_new_orders_503_take_no_stock_and_browsing_works(running):
    sku, customer = running.new_product(stock=5), email("nopay")
    running.stop("payments")

    response = running.place(sku, customer, headers={"Idempotency-Key": f"k-{customer}"})
    assert_service_unavailable(response)
    # The reservation was undone before the answer: the catalog still shows all 5.
    assert running.call("GET", f"/products/{sku}").json()["stock"] == 5
    assert sku in [p["sku"] for p in running.call("GET", "/products").json()["items"]]
    assert running.orders_of(customer) == []
    assert [status for _, status in running.order_rows(customer)] == ["failed"]

    running.restart("payments")
    # The key was released with the failure, so the very same request now places the order.
    retry = running.place(sku, customer, headers={"Idempotency-Key": f"k-{customer}"})
    assert retry.status_code == 201, retry.text
    assert running.call("GET", f"/products/{sku}").json()["stock"] == 3


def test_payments_too_slow_is_a_503_and_the_late_charge_is_refunded(running):
    sku, customer = running.new_product(stock=5), email("slowpay")
    running.signal("payments", signal.SIGSTOP)  # accepts connections, answers nothing
    try:
        started = time.monotonic()
        response = running.place(sku, customer)
        elapsed = time.monotonic() - started
        assert_service_unavailable(response)
        assert elapsed < ORDERS_READ_TIMEOUT, f"503 took {elapsed:.3f} s"
        assert running.call("GET", f"/products/{sku}").json()["stock"] == 5
    finally:
        running.signal("payments", signal.SIGCONT)

    # Resumed, payments carries out the charge that reached it and the refund the saga left
    # in the outbox, in either order (two connections were waiting): refunded after the
    # charge, or voided before it, so that the late charge takes nothing. Never captured.
    [(order_id, status)] = running.order_rows(customer)
    assert status == "failed"
    wait_for(lambda: running.payments_for([order_id]).get(order_id) in ("refunded", "voided"), 10,
             "the late charge was not undone")
    assert running.orders_of(customer) == []
    assert running.stock_in_inventory(sku) == 5


def test_notifications_down_orders_confirm_and_each_arrives_once_when_it_is_back(running):
    sku, customer = running.new_product(stock=10), email("nonote")
    running.stop("notifications")
    placed = [running.place(sku, customer) for _ in range(3)]
    assert [r.status_code for r in placed] == [201] * 3
    order_ids = [r.json()["id"] for r in placed]
    cancelled = running.call("POST", f"/orders/{order_ids[0]}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    # Listing needs the notifications service itself: that one read is unavailable.
    assert_service_unavailable(running.call("GET", "/notifications",
                                            params={"order_id": order_ids[0]},
                                            headers=ADMIN))
    time.sleep(1.5)  # the relay tries, fails and backs off meanwhile

    running.restart("notifications")
    expected = {order_ids[0]: ["order_cancelled", "order_confirmed"],
                order_ids[1]: ["order_confirmed"], order_ids[2]: ["order_confirmed"]}
    for order_id, kinds in expected.items():
        def arrived(order_id=order_id, kinds=kinds):
            return len(running.notifications(order_id)) >= len(kinds)
        wait_for(arrived, 10, f"the notifications of {order_id} did not arrive within 10 s")
    time.sleep(1.0)  # time for a duplicate to show up, if there were one
    for order_id, kinds in expected.items():
        assert sorted(n["kind"] for n in running.notifications(order_id)) == kinds


def test_inventory_down_orders_503_and_nothing_is_charged(running):
    sku, customer = running.new_product(stock=5), email("nostock")
    running.stop("inventory")

    for _ in range(2):
        assert_service_unavailable(running.place(sku, customer))
    order_ids = [order_id for order_id, _ in running.order_rows(customer)]
    assert len(order_ids) == 2
    assert {status for _, status in running.order_rows(customer)} == {"failed"}
    assert running.payments_for(order_ids) == {}  # never charged, not even voided
    # A product is its catalog entry and its stock: without the inventory, it cannot be shown,
    # and a new one is not half made: the catalog entry is undone, so a retry is not a duplicate.
    assert_service_unavailable(running.call("GET", f"/products/{sku}"))
    new = {"sku": f"NEW-{uuid.uuid4().hex[:8].upper()}", "name": "New", "price_cents": 100, "stock": 4}
    assert_service_unavailable(running.call("POST", "/products", json=new, headers=ADMIN))

    running.restart("inventory")
    assert running.call("GET", f"/products/{sku}").json()["stock"] == 5
    assert running.call("GET", f"/products/{new['sku']}").status_code == 404
    assert running.call("POST", "/products", json=new, headers=ADMIN).status_code == 201
    assert running.orders_of(customer) == []
    assert running.place(sku, customer).status_code == 201


def test_catalog_down_orders_503_and_the_stock_reserved_meanwhile_is_back_before_the_answer(running):
    sku, customer = running.new_product(stock=5), email("noprice")
    running.stop("catalog")

    # The stock is reserved while the catalog is asked for prices: when no prices come, the
    # reservation is released before the 503, and nothing is charged.
    response = running.place(sku, customer, headers={"Idempotency-Key": f"k-{customer}"})
    assert_service_unavailable(response)
    assert running.stock_in_inventory(sku) == 5
    [(order_id, status)] = running.order_rows(customer)
    assert status == "failed"
    assert running.payments_for([order_id]) == {}

    running.restart("catalog")
    retry = running.place(sku, customer, headers={"Idempotency-Key": f"k-{customer}"})
    assert retry.status_code == 201, retry.text
    assert running.stock_in_inventory(sku) == 3


def test_one_request_id_is_followed_through_every_service_of_the_saga(running):
    sku, rid = running.new_product(stock=5), f"trace-{uuid.uuid4().hex}"
    response = running.place(sku, email("trace"), headers={"X-Request-Id": rid})
    assert response.status_code == 201 and response.headers["X-Request-Id"] == rid
    expected = {"gateway", "orders", "catalog", "inventory", "payments"}
    wait_for(lambda: expected <= {name for name, line in list(running.logs) if f"rid={rid}" in line},
             5, "the request id did not reach every service's access log")

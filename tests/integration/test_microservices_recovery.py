"""The orders service killed mid-saga: recovery ends the saga in doubt, and a retry with the
same Idempotency-Key gets that order's outcome. Never a second order, never a second charge."""

import signal
import threading
import time
import uuid

import pytest

from tests.integration.microservices_running import RunningMicroservices
from tests.integration.running import POSTGRES_URL, database_env, launched, wait_for

RECOVERY_TIMEOUT = 2.0  # a saga older than this is in doubt
CLAIM_TIMEOUT = 1.0  # a claim older than this would be taken over, were its saga not in doubt


@pytest.fixture(params=["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"])
def running(request, tmp_path, monkeypatch):
    env = database_env(request, tmp_path) | {
        "SERVICE_READ_TIMEOUT": "30", "ORDERS_READ_TIMEOUT": "30",
        "ORDERS_RECOVERY_TIMEOUT": str(RECOVERY_TIMEOUT),
        "IDEMPOTENCY_CLAIM_TIMEOUT": str(CLAIM_TIMEOUT)}
    with launched("microservices", monkeypatch, env) as (supervisor, port, logs):
        yield RunningMicroservices(supervisor, port, logs, tmp_path, env["DATABASE_URL"])


def kill_orders_mid_saga(running, sku: str, stuck_at: str) -> tuple[str, str]:
    """Place an order while `stuck_at` (catalog, inventory or payments) is paused, kill the orders
    service once the saga waits on it, then resume. The key and the order in doubt."""
    customer = f"doubt-{uuid.uuid4().hex[:8]}@example.com"
    key = f"k-{customer}"
    running.signal(stuck_at, signal.SIGSTOP)
    try:
        threading.Thread(target=running.place, args=(sku, customer),
                         kwargs={"headers": {"Idempotency-Key": key}}, daemon=True).start()
        [(order_id, status)] = wait_for(lambda: running.order_rows(customer), 10,
                                        "the saga did not start")
        time.sleep(0.5)  # the step's request is on its way to the paused service
        running.signal("orders", signal.SIGKILL)
        running.child("orders").wait(timeout=10)
    finally:
        running.signal(stuck_at, signal.SIGCONT)
    return key, order_id


def retry(running, sku: str, key: str):
    customer = key.removeprefix("k-")
    return running.place(sku, customer, headers={"Idempotency-Key": key})


def test_a_charge_made_before_the_crash_confirms_the_order_once(running):
    sku = running.new_product(stock=5)
    key, order_id = kill_orders_mid_saga(running, sku, stuck_at="payments")
    assert [status for _, status in running.order_rows(key.removeprefix("k-"))] == ["pending"]
    # Resumed, payments carries out the charge that reached it: captured, for an order in doubt.
    wait_for(lambda: running.payments_for([order_id]) == {order_id: "captured"}, 10,
             "the charge on its way did not land")
    running.restart("orders")

    answer = wait_for(lambda: (r := retry(running, sku, key)).status_code != 409 and r, 15,
                      "the retry never got the order's outcome")
    assert answer.status_code == 201, answer.text
    assert answer.json()["id"] == order_id
    assert running.order_rows(key.removeprefix("k-")) == [(order_id, "confirmed")]
    assert running.payments_for([order_id]) == {order_id: "captured"}
    assert running.stock_in_inventory(sku) == 3
    wait_for(lambda: len(running.notifications(order_id)) == 1, 10, "no order_confirmed")


# Stuck at the catalog: the stock was reserved while the prices were asked for, and the order
# has no priced lines yet. Stuck at inventory: the reservation arrives after the crash.
@pytest.mark.parametrize("stuck_at", ["catalog", "inventory"])
def test_a_saga_stopped_before_its_charge_is_undone_and_the_retry_places_once(running, stuck_at):
    sku = running.new_product(stock=5)
    key, order_id = kill_orders_mid_saga(running, sku, stuck_at)
    running.restart("orders")

    answer = wait_for(lambda: (r := retry(running, sku, key)).status_code != 409 and r, 15,
                      "the retry never got an outcome")
    assert answer.status_code == 201, answer.text
    rows = dict(running.order_rows(key.removeprefix("k-")))
    assert rows.pop(order_id) == "failed"
    [(new_id, status)] = rows.items()
    assert status == "confirmed"
    # The reservation, made before the crash or after it, was released; the first order's
    # id is voided at payments, so nothing can ever be charged for it.
    assert running.payments_for([order_id, new_id]) == {order_id: "voided", new_id: "captured"}
    wait_for(lambda: running.stock_in_inventory(sku) == 3, 10, "the stock was not given back")


def test_a_retry_while_the_saga_is_in_doubt_waits_for_it(running):
    sku = running.new_product(stock=5)
    key, order_id = kill_orders_mid_saga(running, sku, stuck_at="payments")
    running.restart("orders")
    time.sleep(CLAIM_TIMEOUT)  # the claim is old enough to be taken over, but its saga is in doubt
    first = retry(running, sku, key)
    if first.status_code == 409:  # in doubt still: recovery has not ended it yet
        assert first.json()["code"] == "idempotency_key_in_use"
    answer = wait_for(lambda: (r := retry(running, sku, key)).status_code != 409 and r, 15,
                      "the retry never got the order's outcome")
    assert answer.json()["id"] == order_id
    assert [o for o, _ in running.order_rows(key.removeprefix("k-"))] == [order_id]

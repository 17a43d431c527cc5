"""The services as real processes: when orders is down or too slow, the storefront answers a
prompt 503 and nothing is left half done; one request id is followed through both processes."""

import signal
import time
import uuid

import pytest

from tests.integration.running import (
    ADMIN,
    POSTGRES_URL,
    Running,
    assert_service_unavailable,
    database_env,
    launched,
    wait_for,
)

JSON = {"Content-Type": "application/json"}
READ_TIMEOUT = 1.5  # short, so that a hung orders service is noticed quickly
CONNECT_TIMEOUT = 1.0


@pytest.fixture(params=["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"])
def running(request, tmp_path, monkeypatch):
    env = database_env(request, tmp_path) | {"ORDERS_READ_TIMEOUT": str(READ_TIMEOUT),
                                             "ORDERS_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT)}
    with launched("services", monkeypatch, env) as (supervisor, port, logs):
        yield Running(supervisor, port, logs)


def order_body(sku: str, email: str) -> dict:
    return {"customer_email": email, "items": [{"sku": sku, "quantity": 2}],
            "payment_method": "pm_card_visa"}


def test_orders_down_is_a_prompt_503_and_nothing_is_half_done(running):
    sku, email = running.new_product(stock=5), f"down-{uuid.uuid4().hex[:8]}@example.com"
    running.stop("services-orders")

    started = time.monotonic()
    response = running.call("POST", "/orders", json=order_body(sku, email),
                            headers={"Idempotency-Key": f"down-{email}"})
    elapsed = time.monotonic() - started
    assert_service_unavailable(response)
    # A refused connection is known at once: no waiting for any timeout.
    assert elapsed < CONNECT_TIMEOUT / 2, f"503 took {elapsed:.3f} s"
    for method, path in [("GET", "/orders/no-such-order-0001"),
                         ("POST", "/orders/no-such-order-0001/cancel")]:
        assert_service_unavailable(running.call(method, path))

    # The storefront's own part of the shop goes on working, and so do the checks it makes
    # before passing anything on: these answers prove it did not even try to reach orders.
    assert running.stock(sku) == 5
    assert running.call("GET", "/products").status_code == 200
    for expected, method, path, kwargs in [
            (404, "GET", "/orders/some-id/refund", {}),
            (405, "DELETE", "/orders", {}),
            (401, "GET", "/orders?customer_email=a@b.cd", {}),
            (413, "POST", "/orders", {"data": b"x" * 200_000, "headers": JSON})]:
        assert running.call(method, path, **kwargs).status_code == expected, (method, path)

    running.restart("services-orders")
    assert running.stock(sku) == 5
    assert running.orders_of(email) == []
    # The key was never claimed, so the very same request now places the order.
    response = running.call("POST", "/orders", json=order_body(sku, email),
                            headers={"Idempotency-Key": f"down-{email}"})
    assert response.status_code == 201, response.text
    assert running.stock(sku) == 3


def test_an_answer_that_comes_too_late_is_a_503_and_a_retry_learns_the_outcome(running):
    sku, email = running.new_product(stock=5), f"slow-{uuid.uuid4().hex[:8]}@example.com"
    key = f"slow-{email}"
    # Paused, orders still accepts connections (the kernel does that) but answers nothing:
    # the request reaches it, and it will act on it only once it is resumed.
    running.signal("services-orders", signal.SIGSTOP)
    try:
        started = time.monotonic()
        response = running.call("POST", "/orders", json=order_body(sku, email),
                                headers={"Idempotency-Key": key})
        elapsed = time.monotonic() - started
        assert_service_unavailable(response)
        assert READ_TIMEOUT <= elapsed < READ_TIMEOUT + 1, f"503 took {elapsed:.3f} s"
        assert running.stock(sku) == 5  # the catalog does not wait for orders
    finally:
        running.signal("services-orders", signal.SIGCONT)

    # The request had reached orders: resumed, orders carries it out, in one transaction,
    # although nobody waits for the answer any more. No retry is needed for that.
    placed = wait_for(lambda: running.orders_of(email), 10,
                      "the request that reached orders was never carried out")
    assert [order["status"] for order in placed] == ["confirmed"]
    assert running.stock(sku) == 3
    # A retry with the same key is how the client learns the outcome: the same order, no more stock.
    retry = running.call("POST", "/orders", json=order_body(sku, email),
                         headers={"Idempotency-Key": key})
    assert retry.status_code == 201, retry.text
    assert retry.json()["id"] == placed[0]["id"]
    assert running.stock(sku) == 3


def loggers_of(running: Running, rid: str, count: int) -> list[str]:
    """The processes that logged `rid`, once `count` lines name it (or 5 s have passed)."""
    deadline = time.monotonic() + 5
    while True:
        found = [name for name, line in list(running.logs) if f"rid={rid}" in line]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_one_request_id_is_followed_through_both_processes(running):
    rid = f"trace-{uuid.uuid4().hex}"
    response = running.call("GET", "/orders", params={"customer_email": "nobody@example.com"},
                            headers=ADMIN | {"X-Request-Id": rid})
    assert response.status_code == 200 and response.headers["X-Request-Id"] == rid
    assert sorted(loggers_of(running, rid, count=2)) == ["services-orders", "services-storefront"]

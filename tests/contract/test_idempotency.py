"""Idempotency-Key on POST /orders: replays, reuse with another body, and what is (not) stored."""

import json
import uuid

import pytest

from .client import DECLINED_METHODS, assert_problem, assert_status, assert_validation_error, unique_email

JSON = {"Content-Type": "application/json"}


def new_key() -> str:
    return f"contract-{uuid.uuid4()}"


def order_body(sku, quantity=1, method="pm_card_visa") -> dict:
    return {"customer_email": unique_email(), "items": [{"sku": sku, "quantity": quantity}],
            "payment_method": method}


def post(shop, body, key, raw=None):
    data = raw if raw is not None else json.dumps(body)
    return shop.post("/orders", data=data, headers=JSON | {"Idempotency-Key": key})


def assert_replayed(first, again):
    assert again.status_code == first.status_code, again.text
    assert again.json() == first.json()
    assert again.headers.get("Content-Type") == first.headers.get("Content-Type")
    assert again.headers.get("Location") == first.headers.get("Location")


def test_confirmed_order_is_replayed(shop, make_product):
    sku = make_product(stock=5)["sku"]
    body, key = order_body(sku, 2), new_key()
    first = post(shop, body, key)
    assert_status(first, 201)
    for _ in range(2):
        assert_replayed(first, post(shop, body, key))
    assert shop.stock(sku) == 3
    assert [o["id"] for o in shop.orders_of(body["customer_email"])] == [first.json()["id"]]


def test_replay_returns_the_first_answer_not_the_current_state(shop, make_product):
    sku = make_product(stock=5)["sku"]
    body, key = order_body(sku), new_key()
    first = post(shop, body, key)
    assert_status(shop.cancel(first.json()["id"]), 200)
    assert_replayed(first, post(shop, body, key))
    assert shop.stock(sku) == 5


def test_equal_json_counts_as_the_same_body(shop, make_product):
    sku = make_product(stock=5)["sku"]
    body, key = order_body(sku), new_key()
    first = post(shop, body, key)
    assert_status(first, 201)
    reordered = {"payment_method": body["payment_method"],
                 "items": [{"quantity": 1, "sku": sku}], "customer_email": body["customer_email"]}
    assert_replayed(first, post(shop, None, key, raw=json.dumps(reordered, indent=3)))
    assert shop.stock(sku) == 4


def test_out_of_stock_is_replayed_with_the_same_order(shop, make_product):
    sku = make_product(stock=1)["sku"]
    body, key = order_body(sku, 2), new_key()
    first = post(shop, body, key)
    order_id = assert_problem(first, 409, "out_of_stock")["order_id"]
    assert_status(shop.restock(sku, 10), 200)
    # Stock is enough now, yet the key still answers with the first outcome.
    assert_replayed(first, post(shop, body, key))
    assert shop.stock(sku) == 11
    assert [o["id"] for o in shop.orders_of(body["customer_email"])] == [order_id]


@pytest.mark.parametrize("method", DECLINED_METHODS)
def test_declined_payment_is_replayed(shop, make_product, method):
    sku = make_product(stock=3)["sku"]
    body, key = order_body(sku, 1, method), new_key()
    first = post(shop, body, key)
    order_id = assert_problem(first, 402, "payment_declined")["order_id"]
    assert_replayed(first, post(shop, body, key))
    assert shop.stock(sku) == 3
    assert [o["id"] for o in shop.orders_of(body["customer_email"])] == [order_id]


def test_same_key_with_another_body_is_422(shop, make_product):
    sku = make_product(stock=5)["sku"]
    body, key = order_body(sku), new_key()
    first = post(shop, body, key)
    assert_status(first, 201)
    more = body | {"items": [{"sku": sku, "quantity": 2}]}
    for other in (more, order_body(sku)):
        assert_problem(post(shop, other, key), 422, "idempotency_key_reused")
    assert shop.stock(sku) == 4
    assert_replayed(first, post(shop, body, key))


def test_keys_are_global_not_per_customer(shop, make_product):
    sku = make_product(stock=5)["sku"]
    key = new_key()
    assert_status(post(shop, order_body(sku), key), 201)
    assert_problem(post(shop, order_body(sku), key), 422, "idempotency_key_reused")
    assert shop.stock(sku) == 4


def test_requests_without_an_outcome_are_not_stored(shop, make_product):
    sku = make_product(stock=5)["sku"]
    key = new_key()
    assert_validation_error(post(shop, order_body(sku, 0), key), "items[0].quantity")
    assert_problem(post(shop, None, key, raw="{"), 400, "invalid_json")
    assert_problem(post(shop, order_body("NO-SUCH-" + sku[:20]), key), 422, "unknown_product")
    big = json.dumps(order_body(sku) | {"pad": "x" * 70_000})
    assert_problem(post(shop, None, key, raw=big), 413, "payload_too_large")
    resp = shop.post("/orders", data=json.dumps(order_body(sku)), headers={"Idempotency-Key": key})
    assert_problem(resp, 415, "unsupported_media_type")
    # None of the above was stored, so the key is still free for a real order.
    assert_status(post(shop, order_body(sku, 2), key), 201)
    assert shop.stock(sku) == 3


def test_longest_key_is_accepted(shop, make_product):
    sku = make_product(stock=5)["sku"]
    key = (new_key() + "~!" * 200)[:255]
    body = order_body(sku)
    first = post(shop, body, key)
    assert_status(first, 201)
    assert_replayed(first, post(shop, body, key))

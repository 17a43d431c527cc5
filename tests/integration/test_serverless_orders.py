"""The orders function under moto: outcomes, conditional writes, idempotency keys, cancelling."""

import json
import time

import pytest
from botocore.exceptions import ClientError

from serverless import clients, idempotency, notifications, repository
from serverless.dynamodb import item
from serverless.handlers import orders, products
from shared import orders as order_rules, settings
from shared.idempotency import fingerprint
from tests.integration.serverless_support import call, http_event


@pytest.fixture
def mug(aws):
    """A product with 5 in stock at 300 cents."""
    body = {"sku": "MUG-1", "name": "Mug", "price_cents": 300, "stock": 5}
    assert call(products, http_event("POST /products", body=body, admin=True)).status == 201
    return "MUG-1"


def order(sku="MUG-1", quantity=1, email="ada@example.com", method="pm_card_visa"):
    return {"customer_email": email, "items": [{"sku": sku, "quantity": quantity}],
            "payment_method": method}


def place(body, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return call(orders, http_event("POST /orders", body=body, headers=headers))


def stock(sku="MUG-1"):
    return call(products, http_event("GET /products/{sku}", sku=sku)).body["stock"]


def listed(email="ada@example.com"):
    answer = call(orders, http_event("GET /orders", query={"customer_email": email}, admin=True))
    return answer.body["items"]


def published(aws):
    """The events on the queue once the publisher has read the orders table's stream."""
    aws.stream_source.poll_once()
    answer = clients.sqs().receive_message(QueueUrl=aws.queue_url, MaxNumberOfMessages=10)
    return [json.loads(message["Body"]) for message in answer.get("Messages", [])]


def test_a_confirmed_order_takes_stock_and_publishes_one_event(aws, mug):
    answer = place(order(quantity=2))
    assert answer.status == 201 and answer.headers["Location"] == f"/orders/{answer.body['id']}"
    assert (answer.body["status"], answer.body["payment_status"]) == ("confirmed", "captured")
    assert answer.body["total_cents"] == 600 and stock() == 3
    [event] = published(aws)
    assert (event["order_id"], event["kind"], event["recipient"]) == (
        answer.body["id"], "order_confirmed", "ada@example.com")


def test_out_of_stock_is_recorded_takes_nothing_and_publishes_nothing(aws, mug):
    answer = place(order(quantity=6))
    assert (answer.status, answer.body["code"], answer.body["skus"]) == (409, "out_of_stock", ["MUG-1"])
    recorded = call(orders, http_event("GET /orders/{id}", id=answer.body["order_id"])).body
    assert (recorded["status"], recorded["rejection_reason"], recorded["payment_status"]) == (
        "rejected", "out_of_stock", None)
    assert stock() == 5 and published(aws) == []


def test_a_declined_payment_is_recorded_and_takes_nothing(aws, mug):
    answer = place(order(method="pm_card_chargeDeclined"))
    assert (answer.status, answer.body["code"]) == (402, "payment_declined")
    assert listed()[0]["payment_status"] == "declined" and stock() == 5


def test_an_unknown_product_records_nothing_and_frees_the_key(aws, mug):
    body = {**order(), "items": [{"sku": "GHOST-1", "quantity": 1}, {"sku": "MUG-1", "quantity": 1}]}
    answer = place(body, key="k-unknown")
    assert (answer.status, answer.body["skus"]) == (422, ["GHOST-1"])
    assert listed() == [] and place(order(), key="k-unknown").status == 201


def test_stock_taken_between_read_and_write_makes_it_out_of_stock(aws, mug, monkeypatch):
    read = repository.get_products

    def stale_read(skus):
        found = read(skus)
        monkeypatch.setattr(repository, "get_products", read)  # only this first read is stale:
        assert place(order(quantity=5)).status == 201  # another order takes the stock meanwhile
        return found
    monkeypatch.setattr(repository, "get_products", stale_read)
    answer = place(order(quantity=5))
    assert (answer.status, answer.body["code"]) == (409, "out_of_stock")
    assert stock() == 0 and len(listed()) == 2


def test_a_replay_answers_the_first_response_and_takes_nothing_more(aws, mug):
    first = place(order(quantity=2), key="k-replay")
    again = place(order(quantity=2), key="k-replay")
    assert (again.status, again.body, again.headers["Location"]) == (
        first.status, first.body, first.headers["Location"])
    assert stock() == 3 and len(published(aws)) == 1


def test_the_same_key_with_another_body_is_422(aws, mug):
    assert place(order(), key="k-reused").status == 201
    answer = place(order(quantity=2), key="k-reused")
    assert (answer.status, answer.body["code"]) == (422, "idempotency_key_reused")
    assert stock() == 4


def test_a_key_still_being_processed_is_409(aws, mug):
    idempotency.claim("k-busy", fingerprint(order()))
    answer = place(order(), key="k-busy")
    assert (answer.status, answer.body["code"]) == (409, "idempotency_key_in_use")
    assert stock() == 5 and listed() == []


def test_an_abandoned_claim_is_taken_over(aws, mug):
    idempotency.claim("k-dead", fingerprint(order()))
    long_ago = int((time.time() - settings.CLAIM_TIMEOUT_SECONDS) * 1000) - 1
    clients.dynamodb().update_item(
        TableName=aws.config.idempotency_table, Key=item({"idempotency_key": "k-dead"}),
        UpdateExpression="SET claimed_at_ms = :t", ExpressionAttributeValues=item({":t": long_ago}))
    assert place(order(), key="k-dead").status == 201 and stock() == 4


def test_a_claim_taken_over_meanwhile_records_nothing(aws, mug, monkeypatch):
    read = repository.get_products

    def taken_over(skus):  # another request takes the key over while this one decides
        clients.dynamodb().update_item(
            TableName=aws.config.idempotency_table, Key=item({"idempotency_key": "k-lost"}),
            UpdateExpression="SET claim = :other", ExpressionAttributeValues=item({":other": "x"}))
        return read(skus)
    monkeypatch.setattr(repository, "get_products", taken_over)
    answer = place(order(), key="k-lost")
    assert (answer.status, answer.body["code"]) == (409, "idempotency_key_in_use")
    assert stock() == 5 and listed() == [] and published(aws) == []


def test_cancel_gives_stock_back_once(aws, mug):
    order_id = place(order(quantity=3)).body["id"]
    answer = call(orders, http_event("POST /orders/{id}/cancel", id=order_id))
    assert (answer.body["status"], answer.body["payment_status"]) == ("cancelled", "refunded")
    again = call(orders, http_event("POST /orders/{id}/cancel", id=order_id, body={}))
    assert (again.status, again.body["code"]) == (409, "invalid_order_state")
    assert stock() == 5
    assert sorted(e["kind"] for e in published(aws)) == ["order_cancelled", "order_confirmed"]


def test_cancelling_a_rejected_or_unknown_order_fails(aws, mug):
    rejected = place(order(quantity=9)).body["order_id"]
    answer = call(orders, http_event("POST /orders/{id}/cancel", id=rejected))
    assert (answer.status, answer.body["code"]) == (409, "invalid_order_state")
    for missing in ("no-such-order-id-000", "x" * 3000):
        answer = call(orders, http_event("POST /orders/{id}/cancel", id=missing))
        assert (answer.status, answer.body["code"]) == (404, "order_not_found")


def test_listing_is_newest_first_even_within_one_millisecond(aws, mug, monkeypatch):
    monkeypatch.setattr(order_rules, "utc_timestamp", lambda: "2026-01-01T00:00:00.000Z")
    ids = [place(order()).body["id"], place(order(quantity=9)).body["order_id"],
           place(order(quantity=2)).body["id"]]
    assert [o["id"] for o in listed()] == ids[::-1]
    assert listed("ADA@example.com") == [] and listed("not an address") == []


def test_placing_an_order_sends_nothing_itself(aws, mug, monkeypatch):
    # The order's function needs no SQS (nor sqs:SendMessage): the stream carries the change.
    with monkeypatch.context() as without_sqs:
        without_sqs.setattr(clients, "sqs", None)
        assert place(order()).status == 201
    assert [e["kind"] for e in published(aws)] == ["order_confirmed"]


def test_sqs_failing_when_an_order_is_placed_loses_no_notification(aws, mug, monkeypatch, caplog):
    # SQS out of reach just after the commit: the stream still carries the change (docs/serverless.md).
    send, calls = notifications.publish, []

    def unreachable_once(notification):
        calls.append(notification.event_id)
        if len(calls) == 1:
            raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "no"}}, "SendMessage")
        send(notification)
    monkeypatch.setattr(notifications, "publish", unreachable_once)
    answer = place(order())
    assert answer.status == 201 and stock() == 4
    assert published(aws) == [] and "could not publish the change" in caplog.text
    [event] = published(aws)  # the stream keeps the change: the next poll retries it
    assert (event["order_id"], event["kind"]) == (answer.body["id"], "order_confirmed")
    assert calls == [f"{answer.body['id']}:order_confirmed"] * 2 and published(aws) == []

"""The publisher and the stream's event source under moto: which changes become events, a
failure that stops the batch at the record that failed, retries, and giving a batch up."""

import json

import pytest
from botocore.exceptions import ClientError

from serverless import clients, notifications
from serverless.handlers import orders, products, publisher
from tests.integration.serverless_support import call, http_event, stream_event

PLACED = {"id": "order-1", "customer_email": "ada@example.com", "status": "confirmed"}
CANCELLED = PLACED | {"status": "cancelled"}
REJECTED = PLACED | {"id": "order-2", "status": "rejected"}


def queued(url):
    answer = clients.sqs().receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    return [json.loads(message["Body"]) for message in answer.get("Messages", [])]


def unreachable(notification):
    raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "no"}}, "SendMessage")


def test_only_a_placed_confirmed_order_and_a_cancel_become_events(aws):
    event = stream_event((None, PLACED), (None, REJECTED), (PLACED, CANCELLED),
                         (CANCELLED, CANCELLED | {"payment_status": "refunded"}), (CANCELLED, None))
    assert publisher.handler(event, None) == {"batchItemFailures": []}
    sent = queued(aws.queue_url)
    assert [(e["order_id"], e["kind"], e["recipient"]) for e in sent] == [
        ("order-1", "order_confirmed", "ada@example.com"),
        ("order-1", "order_cancelled", "ada@example.com")]


def test_a_failure_stops_the_batch_at_the_record_that_failed(aws, monkeypatch):
    sent = []
    monkeypatch.setattr(notifications, "publish", lambda n: unreachable(n) if sent else sent.append(n))
    event = stream_event((None, PLACED), (None, PLACED | {"id": "order-3"}), (PLACED, CANCELLED))
    answer = publisher.handler(event, None)
    second = event["Records"][1]["dynamodb"]["SequenceNumber"]
    assert answer == {"batchItemFailures": [{"itemIdentifier": second}]}
    assert [n.event_id for n in sent] == ["order-1:order_confirmed"]  # and the cancel not yet


@pytest.fixture
def placed(aws):
    """A confirmed order, then its cancel: two changes on the orders table's stream."""
    body = {"sku": "PUB-1", "name": "Pub", "price_cents": 100, "stock": 5}
    assert call(products, http_event("POST /products", body=body, admin=True)).status == 201
    body = {"customer_email": "ada@example.com", "items": [{"sku": "PUB-1", "quantity": 1}],
            "payment_method": "pm_card_visa"}
    order_id = call(orders, http_event("POST /orders", body=body)).body["id"]
    assert call(orders, http_event("POST /orders/{id}/cancel", id=order_id)).status == 200
    return order_id


def test_the_event_source_delivers_each_change_once_in_order(aws, placed):
    assert aws.stream_source.poll_once() == 2
    assert aws.stream_source.poll_once() == 0  # it keeps its place
    assert [e["kind"] for e in queued(aws.queue_url)] == ["order_confirmed", "order_cancelled"]


def test_a_function_that_fails_as_a_whole_gets_half_the_batch_again(aws, placed, monkeypatch):
    with monkeypatch.context() as broken:
        broken.setattr(publisher, "handler", None)  # calling it raises TypeError
        source = aws.deployed.mapping("PublisherEventSource", lambda e, c: publisher.handler(e, c))
        assert source.poll_once() == 2 and source.limit == 1 and source.retries == 1
    assert source.poll_once() == 1 and source.poll_once() == 1 and source.poll_once() == 0
    assert [e["kind"] for e in queued(aws.queue_url)] == ["order_confirmed", "order_cancelled"]


def test_after_its_retries_a_batch_is_given_up_to_the_failure_queue(aws, placed, monkeypatch):
    monkeypatch.setattr(notifications, "publish", unreachable)
    source = aws.stream_source
    for _ in range(source.settings.max_retries):
        assert source.poll_once() == 2 and queued(aws.publish_failures_url) == []
    assert source.poll_once() == 2  # the last retry fails too: given up
    [failure] = queued(aws.publish_failures_url)
    info = failure["DDBStreamBatchInfo"]
    assert (failure["requestContext"]["condition"], info["batchSize"], info["streamArn"]) == (
        "RetryAttemptsExhausted", 2, aws.orders_stream_arn)
    assert source.poll_once() == 0 and source.retries == 0 and queued(aws.queue_url) == []

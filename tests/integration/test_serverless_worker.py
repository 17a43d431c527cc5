"""The worker and its event source mapping under moto: once-only storage, partial batch failures,
and a poison message that ends in the dead-letter queue without holding up the others."""

import json

from serverless import clients
from serverless.handlers import notifications as notifications_api, worker
from tests.integration.serverless_support import call, http_event, sqs_event


def event_body(order_id="order-0000000000001", kind="order_confirmed"):
    return json.dumps({"order_id": order_id, "kind": kind, "recipient": "ada@example.com",
                       "created_at": "2026-01-01T00:00:00.000Z"})


def stored(order_id="order-0000000000001"):
    answer = call(notifications_api, http_event("GET /notifications", query={"order_id": order_id},
                                                admin=True))
    return answer.body["items"]


def test_a_notification_delivered_twice_is_stored_once(aws):
    assert worker.handler(sqs_event(event_body(), event_body()), None) == {"batchItemFailures": []}
    assert worker.handler(sqs_event(event_body()), None) == {"batchItemFailures": []}
    assert stored() == [json.loads(event_body())]


def test_only_the_failed_messages_are_reported(aws):
    event = sqs_event(event_body(kind="order_confirmed"), "not json", '{"order_id": 1}',
                      event_body(kind="order_cancelled"))
    failed = [f["itemIdentifier"] for f in worker.handler(event, None)["batchItemFailures"]]
    assert failed == [record["messageId"] for record in event["Records"][1:3]]
    assert sorted(n["kind"] for n in stored()) == ["order_cancelled", "order_confirmed"]


def test_a_poison_message_ends_in_the_dead_letter_queue_without_blocking_others(aws):
    sqs = clients.sqs()
    # Retries come at once instead of after 60 s; everything else is as deployed.
    sqs.set_queue_attributes(QueueUrl=aws.queue_url, Attributes={"VisibilityTimeout": "0"})
    for body in (event_body("order-00000000000a1"), "poison", event_body("order-00000000000a2")):
        sqs.send_message(QueueUrl=aws.queue_url, MessageBody=body)
    mapping = aws.worker_source()

    assert mapping.poll_once() == 3  # one batch: the good ones are stored at the first try
    assert len(stored("order-00000000000a1")) == len(stored("order-00000000000a2")) == 1
    deliveries = 1
    while mapping.poll_once():
        deliveries += 1
    assert deliveries == aws.max_receive_count() == 3
    dead = sqs.receive_message(QueueUrl=aws.dead_letter_queue_url, MaxNumberOfMessages=10)
    assert [m["Body"] for m in dead["Messages"]] == ["poison"]
    assert "Messages" not in sqs.receive_message(QueueUrl=aws.queue_url)


def test_a_function_that_fails_as_a_whole_gets_the_whole_batch_again(aws):
    sqs = clients.sqs()
    sqs.set_queue_attributes(QueueUrl=aws.queue_url, Attributes={"VisibilityTimeout": "0"})
    sqs.send_message(QueueUrl=aws.queue_url, MessageBody=event_body())

    def crashing(event, context):
        raise RuntimeError("out of memory, say")
    assert aws.worker_source(crashing).poll_once() == 1
    assert aws.worker_source().poll_once() == 1
    assert len(stored()) == 1

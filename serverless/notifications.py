"""Notifications, asynchronously: the publisher turns an order's committed change, read from the
orders table's stream, into an event on SQS; the worker stores it once (a conditional put keyed
by the event id); the admin endpoint lists them."""

import functools
import json

from serverless import clients, config, dynamodb
from serverless.dynamodb import item, plain, values
from shared import tracing
from shared.notifications import ORDER_CANCELLED, ORDER_CONFIRMED, Notification
from shared.orders import CANCELLED, CONFIRMED, utc_timestamp

# The status changes that earn a notification, (before, after): an order placed confirmed, and
# a confirmed order cancelled. The FilterCriteria of the publisher's event source in
# template.yaml say the same (a test holds them to it).
ANNOUNCED: dict[tuple[str | None, str | None], str] = {
    (None, CONFIRMED): ORDER_CONFIRMED, (CONFIRMED, CANCELLED): ORDER_CANCELLED}


@functools.cache
def _queue_url() -> str:
    return clients.sqs().get_queue_url(QueueName=config.current().events_queue)["QueueUrl"]


def publish(notification: Notification) -> None:
    """The trace goes along in the message's attributes (botocore's instrumentation leaves SQS
    messages as they are), for the worker to continue."""
    attributes = {name: {"DataType": "String", "StringValue": value}
                  for name, value in tracing.carrier().items()}
    clients.sqs().send_message(QueueUrl=_queue_url(), MessageAttributes=attributes,
                               MessageBody=json.dumps(notification.to_json()))


def for_change(change: dict) -> Notification | None:
    """The notification an order's change calls for, if any. `change` is a stream record's
    `dynamodb` part, with the order before (none for a new one) and after."""
    old, new = plain(change.get("OldImage", {})), plain(change.get("NewImage", {}))
    kind = ANNOUNCED.get((old.get("status"), new.get("status")))
    return Notification(new["id"], kind, new["customer_email"], utc_timestamp()) if kind else None


def from_message(body: str) -> Notification:
    """The notification a message carries; ValueError or TypeError when it is not one."""
    return Notification(**json.loads(body))


def store_once(notification: Notification) -> bool:
    """Stores a notification; False when its event was stored before (a redelivery)."""
    try:
        with dynamodb.refusal_is_conflict():
            clients.dynamodb().put_item(
                TableName=config.current().notifications_table,
                Item=item(notification.to_json() | {"event_id": notification.event_id}),
                ConditionExpression="attribute_not_exists(event_id)")
    except dynamodb.Conflict:
        return False
    return True


def for_order(order_id: str) -> list[dict]:
    pages = clients.dynamodb().get_paginator("query").paginate(
        TableName=config.current().notifications_table, ConsistentRead=True,
        KeyConditionExpression="order_id = :id", ExpressionAttributeValues=values(id=order_id))
    stored = sorted((plain(n) for page in pages for n in page["Items"]),
                    key=lambda n: n["created_at"])
    return [Notification(n["order_id"], n["kind"], n["recipient"], n["created_at"]).to_json()
            for n in stored]

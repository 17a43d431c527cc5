"""Notifications, asynchronously: the publisher turns an order's committed change, read from the
orders table's stream, into an event on SQS; the worker stores it once (a conditional put keyed
by the event id); the admin endpoint lists them."""

import functools
import json

from serverless import clients, config, db
from serverless.db import item, plain, values
from shared.notifications import KIND_FOR_STATUS, Notification
from shared.orders import utc_timestamp


@functools.cache
def _queue_url() -> str:
    return clients.sqs().get_queue_url(QueueName=config.current().events_queue)["QueueUrl"]


def publish(notification: Notification) -> None:
    clients.sqs().send_message(QueueUrl=_queue_url(),
                               MessageBody=json.dumps(notification.to_json()))


def for_change(change: dict) -> Notification | None:
    """The notification an order's change calls for: one whose status became confirmed (a placed
    order) or cancelled. `change` is a stream record's `dynamodb` part, old and new images."""
    old, new = plain(change.get("OldImage", {})), plain(change.get("NewImage", {}))
    kind = KIND_FOR_STATUS.get(new.get("status"))
    if kind is None or old.get("status") == new["status"]:
        return None  # rejected, deleted, or a change that left the status as it was
    return Notification(new["id"], kind, new["customer_email"], utc_timestamp())


def from_message(body: str) -> Notification:
    """The notification a message carries; ValueError or TypeError when it is not one."""
    return Notification(**json.loads(body))


def store_once(notification: Notification) -> bool:
    """Stores a notification; False when its event was stored before (a redelivery)."""
    try:
        with db.refusal_is_conflict():
            clients.dynamodb().put_item(
                TableName=config.current().notifications_table,
                Item=item(notification.to_json() | {"event_id": notification.event_id}),
                ConditionExpression="attribute_not_exists(event_id)")
    except db.Conflict:
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

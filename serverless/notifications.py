"""Notifications, asynchronously: an order's handler publishes an event to SQS, the worker
stores it once (a conditional put keyed by the event id), the admin endpoint lists them."""

import functools
import json
import logging

from botocore.exceptions import BotoCoreError, ClientError

from serverless import clients, config, db
from serverless.db import item, plain, values
from shared import notifications as rules
from shared.notifications import Notification
from shared.orders import Order

log = logging.getLogger("shop.serverless")


@functools.cache
def _queue_url() -> str:
    return clients.sqs().get_queue_url(QueueName=config.current().events_queue)["QueueUrl"]


def publish(notification: Notification) -> None:
    clients.sqs().send_message(QueueUrl=_queue_url(),
                               MessageBody=json.dumps(notification.to_json()))


def announce(order: Order) -> None:
    """Publish the event an order's new state calls for. The order is committed by now, so a
    failure here is logged, not answered: see docs/serverless.md on closing this gap for real."""
    if notification := rules.for_order(order):
        try:
            publish(notification)
        except (BotoCoreError, ClientError):
            log.exception("could not publish %s", notification.event_id)


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

"""Creates in the local AWS what template.yaml declares: the tables and the queues.

`sam deploy` does this on AWS. Here the names are the ones config.py expects, and
tests/unit/test_serverless_template.py deploys the template itself into moto and checks
that it creates exactly these tables, keys, indexes and queues.
"""

import json
from dataclasses import dataclass

from serverless import clients
from serverless.config import Config
from serverless.repository import ORDERS_BY_CUSTOMER

VISIBILITY_TIMEOUT_SECONDS = 60  # six times the worker's Timeout, as AWS advises
MAX_RECEIVE_COUNT = 3  # tries before a message goes to the dead-letter queue
DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 60 * 60
TIME_TO_LIVE_ATTRIBUTE = "expires_at"  # on the idempotency keys' table
# The orders table's stream: the publisher sees each change with the order before and after it.
ORDERS_STREAM = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}


@dataclass(frozen=True)
class Deployed:
    queue_url: str  # the events queue, for the worker's event source
    orders_stream_arn: str  # for the publisher's event source
    publish_failures_url: str  # where that event source reports what it gave up on


def dead_letter_queue(config: Config) -> str:
    return f"{config.events_queue}-dead-letters"


def publish_failures_queue(config: Config) -> str:
    return f"{config.events_queue}-publish-failures"


def tables(config: Config) -> list[dict]:
    """CreateTable's arguments for every table."""
    return [
        _table(config.products_table, [("sku", "S")]),
        _table(config.orders_table, [("id", "S")], index=(
            ORDERS_BY_CUSTOMER, [("customer_email", "S"), ("sequence_number", "N")]))
        | {"StreamSpecification": ORDERS_STREAM},
        _table(config.notifications_table, [("order_id", "S"), ("event_id", "S")]),
        _table(config.idempotency_table, [("idempotency_key", "S")]),
        _table(config.counters_table, [("counter", "S")]),
    ]


def _table(name: str, key: list[tuple[str, str]], index: tuple | None = None) -> dict:
    attributes = dict(key + (index[1] if index else []))
    spec = {"TableName": name, "BillingMode": "PAY_PER_REQUEST", "KeySchema": _key(key),
            "AttributeDefinitions": [{"AttributeName": attribute, "AttributeType": kind}
                                     for attribute, kind in attributes.items()]}
    if index:
        spec["GlobalSecondaryIndexes"] = [{"IndexName": index[0], "KeySchema": _key(index[1]),
                                           "Projection": {"ProjectionType": "ALL"}}]
    return spec


def _key(attributes: list[tuple[str, str]]) -> list[dict]:
    return [{"AttributeName": name, "KeyType": role}
            for (name, _), role in zip(attributes, ("HASH", "RANGE"))]


def deploy(config: Config) -> Deployed:
    """Creates what is missing; returns what the event sources read and write."""
    dynamodb, sqs = clients.dynamodb(), clients.sqs()
    existing = set(dynamodb.list_tables()["TableNames"])
    for spec in tables(config):
        if spec["TableName"] not in existing:
            dynamodb.create_table(**spec)
            if spec["TableName"] == config.idempotency_table:
                dynamodb.update_time_to_live(TableName=config.idempotency_table, TimeToLiveSpecification={
                    "AttributeName": TIME_TO_LIVE_ATTRIBUTE, "Enabled": True})
    dead = sqs.create_queue(QueueName=dead_letter_queue(config), Attributes={
        "MessageRetentionPeriod": str(DEAD_LETTER_RETENTION_SECONDS)})["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])
    redrive = {"deadLetterTargetArn": dead_arn["Attributes"]["QueueArn"],
               "maxReceiveCount": MAX_RECEIVE_COUNT}
    queue = sqs.create_queue(QueueName=config.events_queue, Attributes={
        "VisibilityTimeout": str(VISIBILITY_TIMEOUT_SECONDS),
        "RedrivePolicy": json.dumps(redrive)})["QueueUrl"]
    failures = sqs.create_queue(QueueName=publish_failures_queue(config), Attributes={
        "MessageRetentionPeriod": str(DEAD_LETTER_RETENTION_SECONDS)})["QueueUrl"]
    stream = dynamodb.describe_table(TableName=config.orders_table)["Table"]["LatestStreamArn"]
    return Deployed(queue, stream, failures)

"""What the serverless unit tests share: moto in-process, and the one builder of Lambda events.

The `aws` fixture (conftest.py) runs moto with `mocked_aws`; events are built as API Gateway (HTTP API,
payload format 2.0), SQS and DynamoDB Streams send them, after the examples in the AWS Lambda
documentation.
"""

import base64
import contextlib
import functools
import json
import os
import uuid
from dataclasses import dataclass

import pytest
from moto import mock_aws

from serverless import clients, config, dynamodb, notifications
from serverless.local import provision, streams

TOKEN = "serverless-unit-test-token"
REGION = "us-east-1"


@dataclass(frozen=True)
class Aws:
    config: config.Config
    deployed: provision.Deployed

    @property
    def queue_url(self) -> str:
        return self.deployed.queue_urls["EventsQueue"]

    @property
    def dead_letter_queue_url(self) -> str:
        return self.deployed.queue_urls["DeadLetterQueue"]

    @property
    def publish_failures_url(self) -> str:
        return self.deployed.queue_urls["PublishFailuresQueue"]

    @property
    def orders_stream_arn(self) -> str:
        return self.deployed.stream_arns["OrdersTable"]

    @functools.cached_property
    def stream_source(self):
        """The publisher's event source, as the runner plays it: it keeps its place in the stream."""
        return self.deployed.mapping("PublisherEventSource")

    def max_receive_count(self) -> int:
        """Receives before the events queue moves a message to its dead-letter queue."""
        attributes = clients.sqs().get_queue_attributes(QueueUrl=self.queue_url,
                                                        AttributeNames=["RedrivePolicy"])
        return int(json.loads(attributes["Attributes"]["RedrivePolicy"])["maxReceiveCount"])

    def worker_source(self, handler=None):
        """The worker's event source as the runner plays it, without the long poll's wait."""
        mapping = self.deployed.mapping("WorkerEventSource", handler)
        mapping.wait_seconds = 0
        return mapping


def cold_start() -> None:
    """Forget what a warm container keeps: configuration, clients, the queue's URL."""
    for cached in (config.current, config.admin_token, clients.dynamodb, clients.sqs, clients.ssm,
                   clients.dynamodb_streams, notifications._queue_url):
        cached.cache_clear()


@contextlib.contextmanager
def mocked_aws(monkeypatch):
    """moto in this process: fake credentials, a fixed region, the tables and queues created
    (the `aws` fixture of tests/integration/conftest.py)."""
    for name in [name for name in os.environ if name.startswith("AWS_")]:
        monkeypatch.delenv(name)  # never the developer's own AWS account or endpoint
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_REGION": REGION,
                        "AWS_DEFAULT_REGION": REGION, "AWS_CONFIG_FILE": os.devnull,
                        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                        "SHOP_ADMIN_TOKEN": TOKEN}.items():
        monkeypatch.setenv(name, value)
    cold_start()
    with mock_aws():
        yield Aws(config.current(), provision.deploy(config.current(), admin_token=TOKEN))
    cold_start()


def http_event(route_key: str, *, body=None, raw: bytes | None = None, headers: dict | None = None,
               query: dict | None = None, admin: bool = False, binary: bool = False,
               method: str | None = None, path: str | None = None, **path_parameters) -> dict:
    """An API Gateway event: http_event("GET /products/{sku}", sku="MUG-1").

    `$default` (no route matched) needs `method` and `path`. `body` is sent as JSON;
    `raw` as bytes, base64-encoded when `binary` is set (as API Gateway sends binary).
    """
    if route_key != "$default":
        method, template = route_key.split(" ")
        path = template.format(**path_parameters)
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    if body is not None:
        raw = json.dumps(body).encode()
        headers.setdefault("content-type", "application/json")
    if admin:
        headers["authorization"] = f"Bearer {TOKEN}"
    event = {
        "version": "2.0", "routeKey": route_key, "rawPath": path,
        "rawQueryString": "&".join(f"{k}={v}" for k, v in (query or {}).items()),
        "headers": headers | {"host": "shop.example", "user-agent": "pytest"},
        "requestContext": {"accountId": "123456789012", "apiId": "api", "stage": "$default",
                           "requestId": str(uuid.uuid4()), "routeKey": route_key,
                           "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                                    "sourceIp": "192.0.2.1", "userAgent": "pytest"}},
        "isBase64Encoded": False,
    }
    if query:
        event["queryStringParameters"] = dict(query)
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    if raw is not None:
        event["body"] = base64.b64encode(raw).decode() if binary else raw.decode()
        event["isBase64Encoded"] = binary
    return event


def stream_event(*changes: tuple[dict | None, dict | None]) -> dict:
    """A DynamoDB Streams event for the publisher: one record per (order before, order after),
    None for "no such item" (an INSERT has no before, a REMOVE no after)."""
    records = []
    for n, (old, new) in enumerate(changes):
        name = "INSERT" if old is None else "REMOVE" if new is None else "MODIFY"
        change = {"ApproximateCreationDateTime": 1767225600,
                  "Keys": dynamodb.item({"id": (old or new)["id"]}),
                  "SequenceNumber": str(100 + n), "SizeBytes": 100,
                  "StreamViewType": "NEW_AND_OLD_IMAGES"}
        change |= {"OldImage": dynamodb.item(old)} if old else {}
        change |= {"NewImage": dynamodb.item(new)} if new else {}
        records.append({"eventID": uuid.uuid4().hex, "eventName": name, "eventVersion": "1.1",
                        "eventSource": "aws:dynamodb", "awsRegion": REGION, "dynamodb": change,
                        "eventSourceARN": f"arn:aws:dynamodb:{REGION}:123456789012:table/"
                                          "shop-orders/stream/2026-01-01T00:00:00.000"})
    return {"Records": records}


def sqs_event(*bodies: str) -> dict:
    """An SQS event for the worker, one record per body."""
    return {"Records": [
        {"messageId": str(uuid.uuid4()), "receiptHandle": f"handle-{n}", "body": body,
         "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {},
         "md5OfBody": "", "eventSource": "aws:sqs", "awsRegion": REGION,
         "eventSourceARN": f"arn:aws:sqs:{REGION}:123456789012:shop-events"}
        for n, body in enumerate(bodies)]}


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict
    body: dict | None


def call(module, event: dict) -> Answer:
    """Invoke a handler module as Lambda would and read its proxy response."""
    result = module.handler(event, None)
    return Answer(result["statusCode"], result["headers"],
                  json.loads(result["body"]) if result.get("body") else None)


def orders_table(aws):
    """moto's own orders table."""
    return next(t for b in streams.backends(streams.dynamodb_backends) for t in b.tables.values()
                if t.name == aws.config.orders_table)


def put(aws, order_id):
    return {"Put": {"TableName": aws.config.orders_table, "Item": {"id": {"S": order_id}}}}


def refused(aws):
    """A transaction that writes an order, then fails a condition, and is undone."""
    never = {"ConditionCheck": {"TableName": aws.config.orders_table, "Key": {"id": {"S": "none"}},
                                "ConditionExpression": "attribute_exists(id)"}}
    with pytest.raises(clients.dynamodb().exceptions.TransactionCanceledException):
        clients.dynamodb().transact_write_items(TransactItems=[put(aws, "phantom"), never])

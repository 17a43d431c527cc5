"""The publisher function: reads the orders table's DynamoDB Stream and puts the event each
committed change calls for (order_confirmed, order_cancelled) on the SQS queue.

The stream is the outbox: DynamoDB writes a record for every committed change, in the same
write, so an order cannot be committed without its record, and a refused transaction leaves
none. The records of one order come in order. When publishing one fails, the function stops
there and reports its sequence number in `batchItemFailures`: Lambda retries from that record
on, so nothing after it is skipped and nothing before it is sent again. A record sent twice
anyway (a retry after an answer lost on the way) carries the same event id, and the worker
stores it once.
"""

import logging

from serverless import notifications, tracing
from serverless.dynamodb import plain

log = logging.getLogger("shop.serverless")
STREAM = {"messaging.system": "aws_dynamodb_streams"}


def handler(event: dict, context) -> dict:
    carriers = [_trace_of(record) for record in event["Records"]]
    with tracing.invocation(event, context, "datasource", carriers):
        return _publish(event["Records"], carriers)


def _publish(records: list[dict], carriers: list[dict]) -> dict:
    for record, carrier in zip(records, carriers, strict=True):
        change = record["dynamodb"]
        try:
            with tracing.record(carrier, "publish order change", **STREAM):
                if notification := notifications.for_change(change):
                    notifications.publish(notification)
        except Exception:  # whatever went wrong, retry from this record on
            log.exception("could not publish the change %s", change["SequenceNumber"])
            return {"batchItemFailures": [{"itemIdentifier": change["SequenceNumber"]}]}
    return {"batchItemFailures": []}


def _trace_of(record: dict) -> dict:
    """The trace of the request that made the change: the order item carries it."""
    return plain(record["dynamodb"].get("NewImage", {})).get("trace_context") or {}

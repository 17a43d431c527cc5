"""The worker function: takes notification events from SQS and stores each one once.

Each message is handled on its own; the ones that fail are reported back as
`batchItemFailures`, so SQS retries only those (and, after a few tries, moves them to the
dead-letter queue) while the rest of the batch is done.
"""

import logging

from serverless import notifications, tracing

log = logging.getLogger("shop.serverless")
QUEUE = {"messaging.system": "aws_sqs"}


def handler(event: dict, context) -> dict:
    carriers = [_trace_of(record) for record in event["Records"]]
    with tracing.invocation(event, context, "pubsub", carriers):
        return _store(event["Records"], carriers)


def _store(records: list[dict], carriers: list[dict]) -> dict:
    failures = []
    for record, carrier in zip(records, carriers, strict=True):
        try:
            with tracing.record(carrier, "store notification", **QUEUE):
                notification = notifications.from_message(record["body"])
                stored = notifications.store_once(notification)
            if not stored:
                log.info("event %s was delivered again; stored once already", notification.event_id)
        except Exception:  # whatever went wrong, only this message is retried
            log.exception("message %s failed", record["messageId"])
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def _trace_of(record: dict) -> dict:
    """The trace the publisher put in the message's attributes (traceparent, tracestate)."""
    attributes = record.get("messageAttributes") or {}
    return {name: value["stringValue"] for name, value in attributes.items()
            if value.get("dataType") == "String" and value.get("stringValue")}

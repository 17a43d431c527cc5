"""The worker function: takes notification events from SQS and stores each one once.

Each message is handled on its own; the ones that fail are reported back as
`batchItemFailures`, so SQS retries only those (and, after a few tries, moves them to the
dead-letter queue) while the rest of the batch is done.
"""

import logging

from serverless import notifications

log = logging.getLogger("shop.serverless")


def handler(event: dict, context) -> dict:
    failures = []
    for record in event["Records"]:
        try:
            notification = notifications.from_message(record["body"])
            if not notifications.store_once(notification):
                log.info("event %s was delivered again; stored once already", notification.event_id)
        except Exception:  # whatever went wrong, only this message is retried
            log.exception("message %s failed", record["messageId"])
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}

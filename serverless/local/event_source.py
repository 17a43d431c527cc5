"""The SQS event source mapping, as Lambda runs it for the worker.

Poll the queue, hand each batch to the function, delete the messages it did, and leave the
ones it reports in `batchItemFailures` (or the whole batch, if it fails) to come back after
the queue's visibility timeout. SQS itself counts the receives and moves a message to the
dead-letter queue after maxReceiveCount of them.
"""

import functools
import logging
import threading

from botocore.exceptions import BotoCoreError, ClientError
from opentelemetry.instrumentation.utils import suppress_instrumentation

from serverless import clients
from serverless.local.invoke import invoke

log = logging.getLogger("shop.serverless.runner")


class EventSourceMapping:
    def __init__(self, settings, queue_url: str, handler, wait_seconds: int = 1):
        """settings: the mapping as template.yaml sets it (mappings.EventSource)."""
        self.settings, self.queue_url, self.handler = settings, queue_url, handler
        self.function_name = settings.function
        self.wait_seconds = wait_seconds  # long polling: an answer as soon as a message arrives

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                with suppress_instrumentation():  # Lambda's polling is no request's: untraced
                    self.poll_once()
            except (BotoCoreError, ClientError):
                log.exception("polling %s failed; trying again", self.queue_url)
                stop.wait(1)

    def poll_once(self) -> int:
        """Receive one batch and deliver it; returns how many messages it had."""
        answer = clients.sqs().receive_message(
            QueueUrl=self.queue_url, MaxNumberOfMessages=self.settings.batch_size,
            WaitTimeSeconds=self.wait_seconds, MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"])
        messages = answer.get("Messages", [])
        if messages:
            self.deliver(messages)
        return len(messages)

    def deliver(self, messages: list[dict]) -> None:
        event = {"Records": [self._record(message) for message in messages]}
        try:
            result, context = invoke(self.function_name, self.handler, event)
        except Exception:  # the function failed as a whole: every message comes back
            log.exception("%s failed; the whole batch will be retried", self.function_name)
            return
        failed = {failure["itemIdentifier"] for failure in self._failures(result)}
        log.info("%s %.1fms: %d messages, %d failed", self.function_name, context.elapsed_ms(),
                 len(messages), len(failed))
        done = [message for message in messages if message["MessageId"] not in failed]
        if done:
            clients.sqs().delete_message_batch(QueueUrl=self.queue_url, Entries=[
                {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(done)])

    def _failures(self, result) -> list[dict]:
        """What the function reports failed; read only when the mapping asks for such reports."""
        return (result or {}).get("batchItemFailures", []) if self.settings.report_failures else []

    @functools.cached_property
    def queue_arn(self) -> str:
        answer = clients.sqs().get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["QueueArn"])
        return answer["Attributes"]["QueueArn"]

    def _record(self, message: dict) -> dict:
        """One record of an SQS event, in the shape Lambda gives it."""
        return {"messageId": message["MessageId"], "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"], "attributes": message.get("Attributes", {}),
                "messageAttributes": _attributes(message.get("MessageAttributes", {})),
                "md5OfBody": message["MD5OfBody"],
                "eventSource": "aws:sqs", "eventSourceARN": self.queue_arn,
                "awsRegion": clients.sqs().meta.region_name}


def _attributes(attributes: dict) -> dict:
    """Message attributes as Lambda gives them: {"stringValue": ..., "dataType": ...}."""
    return {name: {"stringValue": value.get("StringValue"), "binaryValue": value.get("BinaryValue"),
                   "stringListValues": [], "binaryListValues": [], "dataType": value["DataType"]}
            for name, value in attributes.items()}

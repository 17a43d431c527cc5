"""The DynamoDB Streams event source mapping, as Lambda runs it for the publisher, with the
settings template.yaml gives it (BatchSize, StartingPosition, MaximumRetryAttempts, ...).

Every POLL_SECONDS it reads the orders table's stream from where it stopped, hands the new
records to the function as a DynamoDB stream event, and moves its position past the ones done.
A record the function names in `batchItemFailures` comes again, with all after it; when the
function fails as a whole, the batch is halved (BisectBatchOnFunctionError). After
MaximumRetryAttempts the batch is given up: a message describing it goes to the on-failure
destination (a queue), and the position moves past it. Each shard is read in order, one batch
at a time.

Not emulated: shard splits and several shards (moto gives a stream one shard, forever), the
24 hours' retention (5 minutes here: local/streams.py), FilterCriteria (the publisher itself
passes over the changes the filter would drop).

Its position (the last record done in each shard) is written to disk after each batch
(position.py) and read at start: a runner killed and started again goes on after the last
batch it delivered, from the oldest record kept when that one is no longer in the stream. A
batch delivered but not yet recorded is delivered again: at least once, as on AWS (the worker
stores each event once).
"""

import functools
import json
import logging
import threading
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from opentelemetry.instrumentation.utils import suppress_instrumentation

from serverless import clients
from serverless.local import position
from serverless.local.events import failed_batch, stream_record
from serverless.local.invoke import invoke

POLL_SECONDS = 0.1  # Lambda polls a shard about four times a second; this keeps tests quick
log = logging.getLogger("shop.serverless.runner")


class StreamEventSource:
    def __init__(self, settings, stream_arn: str, handler, on_failure_url: str | None,
                 position_file: Path | None = None):
        """settings: the mapping as template.yaml sets it (mappings.EventSource)."""
        self.settings, self.stream_arn, self.handler = settings, stream_arn, handler
        self.function_name = settings.function
        self.on_failure_url, self.position_file = on_failure_url, position_file
        # shard id -> sequence number of the last record done
        self.done = position.read(position_file, stream_arn) if position_file else {}
        self.iterators: dict[str, str | None] = {}
        self.retries, self.limit = 0, settings.batch_size

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                with suppress_instrumentation():  # Lambda's polling is no request's: untraced
                    polled = self.poll_once()
                if polled == 0 or self.retries:
                    stop.wait(self.pause())
            except (BotoCoreError, ClientError):
                log.exception("reading %s failed; trying again", self.stream_arn)
                self.iterators.clear()  # start again from the records done
                stop.wait(1)

    def pause(self) -> float:  # between polls; between retries longer each time, up to 5 s
        return min(5.0, POLL_SECONDS * 2 ** self.retries)

    def poll_once(self) -> int:
        """Reads each shard once and delivers what it holds; returns how many records it held."""
        return sum(self._poll(shard) for shard in self.shards)

    @functools.cached_property
    def shards(self) -> list[str]:
        found = clients.dynamodb_streams().describe_stream(StreamArn=self.stream_arn)
        shards = found["StreamDescription"]["Shards"]
        for shard in shards:  # a place before the oldest record kept: read from the oldest
            oldest = int(shard["SequenceNumberRange"]["StartingSequenceNumber"])
            if int(self.done.get(shard["ShardId"], oldest)) < oldest - 1:
                del self.done[shard["ShardId"]]
        return [shard["ShardId"] for shard in shards]

    def _poll(self, shard: str) -> int:
        answer = clients.dynamodb_streams().get_records(
            ShardIterator=self.iterators.get(shard) or self._iterator(shard), Limit=self.limit)
        self.iterators[shard] = answer.get("NextShardIterator")
        if answer["Records"]:
            self.deliver(shard, answer["Records"])
        return len(answer["Records"])

    def _iterator(self, shard: str) -> str:
        position = ({"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": self.done[shard]}
                    if shard in self.done else {"ShardIteratorType": self.settings.starting_position})
        return clients.dynamodb_streams().get_shard_iterator(
            StreamArn=self.stream_arn, ShardId=shard, **position)["ShardIterator"]

    def deliver(self, shard: str, records: list[dict]) -> None:
        first_failed = self._invoke(records)
        done = [r for r in records if first_failed is None or _number(r) < first_failed]
        if done:
            self.moved(shard, done[-1])
        if first_failed is None:
            self.retries, self.limit = 0, self.settings.batch_size
        else:
            self.iterators[shard] = None  # read again from the first failed record
            self.retries += 1
            if self.settings.max_retries is not None and self.retries > self.settings.max_retries:
                self.give_up(shard, records[len(done):])

    def _invoke(self, records: list[dict]) -> int | None:
        """The sequence number of the first record to retry, or None when all were done."""
        event = {"Records": [stream_record(record, self.stream_arn) for record in records]}
        try:
            result, context = invoke(self.function_name, self.handler, event)
        except Exception:  # the function failed as a whole: retry the batch, halved if so set
            log.exception("%s failed; retrying its batch", self.function_name)
            if self.settings.bisect:
                self.limit = max(1, len(records) // 2)
            return _number(records[0])
        reported = (result or {}).get("batchItemFailures", []) if self.settings.report_failures else []
        failed = [int(f["itemIdentifier"]) for f in reported]
        log.info("%s %.1fms: %d records, %d failed", self.function_name, context.elapsed_ms(),
                 len(records), len(failed))
        return min(failed, default=None)

    def give_up(self, shard: str, records: list[dict]) -> None:
        """Tell the on-failure destination (if any) where the batch was, and move past it."""
        message = failed_batch(shard, self.stream_arn, records, self.retries)
        if self.on_failure_url:
            clients.sqs().send_message(QueueUrl=self.on_failure_url, MessageBody=json.dumps(message))
        log.error("%s gave up on %s", self.function_name, message["DDBStreamBatchInfo"])
        self.moved(shard, records[-1])
        self.retries, self.limit = 0, self.settings.batch_size

    def moved(self, shard: str, last_done: dict) -> None:
        self.done[shard] = last_done["dynamodb"]["SequenceNumber"]
        if self.position_file:
            position.write(self.position_file, self.stream_arn, self.done)


def _number(record: dict) -> int:
    return int(record["dynamodb"]["SequenceNumber"])

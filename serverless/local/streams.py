"""What the local AWS adds to moto's DynamoDB Streams, so that a stream does not grow without end.

moto keeps every record and every iterator; DynamoDB keeps a record 24 hours, and an iterator
expires after 15 minutes. Here, before each GetShardIterator and GetRecords (inside the local
AWS's one lock), a record is let go after RETENTION_SECONDS, far longer than the publisher's
retries take, and only the newest ITERATORS_KEPT iterators are kept (the runner reads each
once, ten a second). An iterator older than the oldest record kept starts at that record.
The records are in the order written, so finding the old ones costs a binary search.
"""

import bisect
import datetime
import functools

from moto.core.utils import utcnow
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import StreamShard
from moto.dynamodbstreams.models import DynamoDBStreamsBackend, ShardIterator

RETENTION_SECONDS = 300
ITERATORS_KEPT = 100


def patches() -> list[tuple]:
    """(owner, name, replace, of): see moto_patches.Patch."""
    numbering = (StreamShard.add, StreamShard.get, ShardIterator.__init__, ShardIterator.get)
    return [(DynamoDBStreamsBackend, name, _kept_short, (getattr(DynamoDBStreamsBackend, name), *numbering))
            for name in ("get_shard_iterator", "get_records")]


def _kept_short(original):
    @functools.wraps(original)
    def call(backend, *args, **kwargs):
        trim_records()
        current_iterators(backend)
        return original(backend, *args, **kwargs)
    return call


def trim_records() -> None:
    cutoff = utcnow() - datetime.timedelta(seconds=RETENTION_SECONDS)
    for shard in _shards():
        old = bisect.bisect_left(shard.items, cutoff,
                                 key=lambda record: record.record["dynamodb"]["ApproximateCreationDateTime"])
        if old:  # moto numbers a record by its place in the list, counted from the first number
            del shard.items[:old]
            shard.starting_sequence_number += old


def current_iterators(backend) -> None:
    for arn in list(backend.shard_iterators)[:-ITERATORS_KEPT]:  # oldest first
        del backend.shard_iterators[arn]
    for iterator in backend.shard_iterators.values():
        iterator.sequence_number = max(iterator.sequence_number,
                                       iterator.stream_shard.starting_sequence_number)


def _shards():
    return [table.stream_shard for backend in backends(dynamodb_backends)
            for table in backend.tables.values() if table.stream_shard is not None]


def backends(backend_dict) -> list:
    return [backend for regions in list(backend_dict.values()) for backend in list(regions.values())]

"""What the local AWS adds to moto's DynamoDB Streams, so that a stream holds exactly the
committed changes, as DynamoDB's does, and does not grow without end.

moto undoes a refused TransactWriteItems by putting back a copy of each table it touched, the
table's stream included. A shard iterator made before that still points at the replaced stream,
which holds the refused writes and none that come after: read through it, an order that was
never placed would be announced, and a real one missed. So before every DynamoDB Streams call
(inside the local AWS's one lock) each iterator is pointed at its table's current stream.

moto copies the whole table, stream included, before each transaction: every record, deeply.
A record never changes once written, so here a copy shares them (share_records), and copying
the stream costs a list of references. moto also keeps every record and every iterator;
DynamoDB keeps a record 24 hours, and an iterator expires after 15 minutes. Here a record is
kept RETENTION_SECONDS, far longer than the publisher's retries take, and the newest
ITERATORS_KEPT iterators (the runner reads each once, ten a second). An iterator older than the
oldest record kept starts at that record.
"""

import datetime

from moto.core.utils import utcnow
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import StreamRecord
from moto.dynamodbstreams.models import dynamodbstreams_backends

RETENTION_SECONDS = 300
ITERATORS_KEPT = 100


def share_records() -> None:
    """The copy of a stream shares its records; its list of them is still its own, so a refused
    transaction's undo still takes the records that transaction added."""
    StreamRecord.__deepcopy__ = lambda record, memo: record


def before_call() -> None:
    _trim_records()
    current_iterators()


def _trim_records() -> None:
    cutoff = utcnow() - datetime.timedelta(seconds=RETENTION_SECONDS)
    for shard in _shards():
        times = [record.record["dynamodb"]["ApproximateCreationDateTime"] for record in shard.items]
        old = next((n for n, written in enumerate(times) if written >= cutoff), len(times))
        if old:  # moto numbers a record by its place in the list, counted from the first number
            del shard.items[:old]
            shard.starting_sequence_number += old


def current_iterators() -> None:
    for backend in _backends(dynamodbstreams_backends):
        for arn in list(backend.shard_iterators)[:-ITERATORS_KEPT]:  # oldest first
            del backend.shard_iterators[arn]
        for iterator in backend.shard_iterators.values():
            table = backend.dynamodb.tables.get(iterator.stream_shard.table.name)
            if table is not None and table.stream_shard is not None:
                iterator.stream_shard = table.stream_shard
            iterator.sequence_number = max(iterator.sequence_number,
                                           iterator.stream_shard.starting_sequence_number)


def _shards():
    return [table.stream_shard for backend in _backends(dynamodb_backends)
            for table in backend.tables.values() if table.stream_shard is not None]


def _backends(backend_dict) -> list:
    return [backend for regions in list(backend_dict.values()) for backend in list(regions.values())]

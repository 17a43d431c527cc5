"""What the local AWS adds to moto's DynamoDB Streams, so that a stream holds exactly the
committed changes, as DynamoDB's does.

moto undoes a refused TransactWriteItems by putting back a copy of each table it touched, the
table's stream included. A shard iterator made before that still points at the replaced stream,
which holds the refused writes and none that come after: read through it, an order that was
never placed would be announced, and a real one missed. So before every DynamoDB Streams call
(inside the local AWS's one lock) each iterator is pointed at its table's current stream.

moto also keeps every iterator it ever handed out; AWS lets one expire after 15 minutes.
Here the newest ITERATORS_KEPT are kept: the local event source reads each one once.
"""

from moto.dynamodbstreams.models import dynamodbstreams_backends

ITERATORS_KEPT = 1000


def current_iterators() -> None:
    for regions in list(dynamodbstreams_backends.values()):
        for backend in list(regions.values()):
            _forget_old(backend.shard_iterators)
            for iterator in backend.shard_iterators.values():
                table = backend.dynamodb.tables.get(iterator.stream_shard.table.name)
                if table is not None and table.stream_shard is not None:
                    iterator.stream_shard = table.stream_shard


def _forget_old(iterators: dict) -> None:
    for arn in list(iterators)[:-ITERATORS_KEPT]:  # dicts keep insertion order: oldest first
        del iterators[arn]

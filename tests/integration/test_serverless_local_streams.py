"""The local AWS's DynamoDB Streams: only committed changes, even after a refused transaction;
records and iterators kept for a while only; stream calls inside the one lock."""

import pytest
from moto.dynamodbstreams.models import dynamodbstreams_backends

from serverless import clients
from serverless.local import streams
from tests.integration.serverless_support import put, refused


def read(iterator):
    records = clients.dynamodb_streams().get_records(ShardIterator=iterator)["Records"]
    return [r["dynamodb"]["Keys"]["id"]["S"] for r in records]


@pytest.mark.parametrize("patched", [True, False], indirect=True)
def test_an_iterator_reads_only_committed_changes_after_a_refused_transaction(aws, patched, request):
    arn = aws.orders_stream_arn
    [shard] = clients.dynamodb_streams().describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    iterator = clients.dynamodb_streams().get_shard_iterator(
        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="LATEST")["ShardIterator"]
    refused(aws)
    clients.dynamodb().transact_write_items(TransactItems=[put(aws, "real")])
    # moto alone shows why: its undo puts back a copy of the table, stream included, and the
    # iterator reads the stream that was replaced, the refused write in it and the later one not.
    assert read(iterator) == (["real"] if request.node.callspec.params["patched"] else ["phantom"])


def test_old_iterators_are_forgotten(aws, patched, monkeypatch):
    monkeypatch.setattr(streams, "ITERATORS_KEPT", 3)
    for _ in range(5):
        aws.stream_source.iterators.clear()
        aws.stream_source.poll_once()  # a new iterator each time
    kept = [len(b.shard_iterators) for r in dynamodbstreams_backends.values() for b in r.values()]
    assert sum(kept) == 3 + 1  # the newest three when the last call began, and the one it made


def test_records_older_than_the_retention_are_let_go_and_reading_goes_on(aws, patched, monkeypatch):
    arn = aws.orders_stream_arn
    for order_id in ("a", "b"):
        clients.dynamodb().transact_write_items(TransactItems=[put(aws, order_id)])
    assert aws.stream_source.poll_once() == 2
    before = aws.stream_source.iterators.copy()
    monkeypatch.setattr(streams, "RETENTION_SECONDS", 0)
    [shard] = clients.dynamodb_streams().describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    oldest = clients.dynamodb_streams().get_shard_iterator(
        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert read(oldest) == []  # both let go
    monkeypatch.setattr(streams, "RETENTION_SECONDS", 300)
    clients.dynamodb().transact_write_items(TransactItems=[put(aws, "c")])
    assert read(before[shard["ShardId"]]) == ["c"]  # the event source's place still holds


def test_only_the_records_older_than_the_retention_are_let_go(aws, patched, monkeypatch):
    clients.dynamodb().transact_write_items(TransactItems=[put(aws, "old")])
    [table] = [t for b in streams.backends(streams.dynamodb_backends) for t in b.tables.values()
               if t.name == aws.config.orders_table]
    table.stream_shard.items[0].record["dynamodb"]["ApproximateCreationDateTime"] -= \
        streams.datetime.timedelta(seconds=streams.RETENTION_SECONDS + 1)
    clients.dynamodb().transact_write_items(TransactItems=[put(aws, "new")])
    first = table.stream_shard.starting_sequence_number
    streams.trim_records()
    assert [r.record["dynamodb"]["Keys"]["id"]["S"] for r in table.stream_shard.items] == ["new"]
    assert table.stream_shard.starting_sequence_number == first + 1

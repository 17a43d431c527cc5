"""The local AWS's DynamoDB Streams: only committed changes, whatever moto does when it undoes a
refused transaction; stream calls inside the one lock."""

import copy

import pytest
from moto.dynamodb.models.table import StreamRecord
from moto.dynamodbstreams.models import dynamodbstreams_backends

from serverless import clients
from serverless.local import streams

from tests.unit.test_serverless_local_aws import most_at_once


def test_stream_calls_take_the_same_lock_as_dynamodb_calls():
    assert most_at_once("DynamoDBStreams_20120810.GetRecords") == 1


def put(aws, order_id):
    return {"Put": {"TableName": aws.config.orders_table, "Item": {"id": {"S": order_id}}}}


def refused(aws):
    """A transaction that writes an order, then fails a condition: moto undoes it with a copy."""
    never = {"ConditionCheck": {"TableName": aws.config.orders_table, "Key": {"id": {"S": "none"}},
                                "ConditionExpression": "attribute_exists(id)"}}
    with pytest.raises(clients.dynamodb().exceptions.TransactionCanceledException):
        clients.dynamodb().transact_write_items(TransactItems=[put(aws, "phantom"), never])


def read(iterator):
    records = clients.dynamodb_streams().get_records(ShardIterator=iterator)["Records"]
    return [r["dynamodb"]["Keys"]["id"]["S"] for r in records]


@pytest.mark.parametrize("repaired", [True, False])
def test_an_iterator_reads_only_committed_changes_after_a_refused_transaction(aws, repaired):
    arn = aws.orders_stream_arn
    [shard] = clients.dynamodb_streams().describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    iterator = clients.dynamodb_streams().get_shard_iterator(
        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="LATEST")["ShardIterator"]
    refused(aws)
    clients.dynamodb().transact_write_items(TransactItems=[put(aws, "real")])
    if repaired:  # what the local AWS does before every stream call
        streams.before_call()
    # moto alone shows why: the iterator reads the stream that the undo replaced.
    assert read(iterator) == (["real"] if repaired else ["phantom"])


def test_old_iterators_are_forgotten(aws, monkeypatch):
    monkeypatch.setattr(streams, "ITERATORS_KEPT", 3)
    for _ in range(5):
        aws.stream_source.iterators.clear()
        aws.stream_source.poll_once()
    streams.current_iterators()
    kept = [len(b.shard_iterators) for r in dynamodbstreams_backends.values() for b in r.values()]
    assert sum(kept) == 3


def test_records_older_than_the_retention_are_let_go_and_reading_goes_on(aws, monkeypatch):
    arn = aws.orders_stream_arn
    for order_id in ("a", "b"):
        clients.dynamodb().transact_write_items(TransactItems=[put(aws, order_id)])
    assert aws.stream_source.poll_once() == 2
    before = aws.stream_source.iterators.copy()
    monkeypatch.setattr(streams, "RETENTION_SECONDS", 0)
    streams.before_call()
    [shard] = clients.dynamodb_streams().describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    oldest = clients.dynamodb_streams().get_shard_iterator(
        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert read(oldest) == []  # both let go
    clients.dynamodb().transact_write_items(TransactItems=[put(aws, "c")])
    assert read(before[shard["ShardId"]]) == ["c"]  # the event source's place still holds


def test_a_copy_of_a_stream_shares_its_records_but_not_their_list(aws, monkeypatch):
    monkeypatch.setattr(StreamRecord, "__deepcopy__", None, raising=False)  # gone again after the test
    streams.share_records()
    clients.dynamodb().transact_write_items(TransactItems=[put(aws, "kept")])
    refused(aws)  # moto copies the table first, and puts the copy back
    table = next(t for backend in streams._backends(streams.dynamodb_backends)
                 for t in backend.tables.values() if t.name == aws.config.orders_table)
    shard_copy = copy.deepcopy(table).stream_shard
    assert shard_copy.items == table.stream_shard.items
    assert shard_copy.items is not table.stream_shard.items
    assert shard_copy.items[0] is table.stream_shard.items[0]
    assert aws.stream_source.poll_once() == 1  # "kept"; the refused "phantom" is not there

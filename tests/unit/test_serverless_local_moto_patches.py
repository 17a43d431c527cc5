"""moto's patches (serverless/local/moto_patches.py): moto is the version they are written for,
the code they rely on is as they found it, and each one does what it is there for, where moto
alone does not."""

import copy
import re
from pathlib import Path

import moto
import pytest
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.sqs.models import sqs_backends

from serverless import clients
from serverless.local import aws as local_aws, moto_patches, queries, streams
from tests.unit.test_serverless_local_streams import patched, put, refused  # noqa: F401 (a fixture)


def test_the_moto_installed_is_the_one_pinned_and_the_one_the_patches_are_written_for():
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text()
    assert re.findall(r'"moto==([^"]+)"', pyproject) == [moto_patches.MOTO_VERSION] == [moto.__version__]


def test_the_local_aws_refuses_to_start_on_another_moto(monkeypatch):
    monkeypatch.setattr(moto, "__version__", "5.0.0")
    with pytest.raises(SystemExit, match=r"needs moto==5\.2\.5 .*not 5\.0\.0"):
        local_aws.main(["--port", "0"])


@pytest.mark.parametrize("patch", moto_patches.patches(), ids=lambda patch: patch.label)
def test_the_moto_code_each_patch_relies_on_is_as_it_was_written_for(patch, patched):
    original = next((held for owner, name, held in moto_patches._originals
                     if (owner, name) == (patch.owner, patch.name)), vars(patch.owner)[patch.name])
    code = patch.of or (getattr(original, "__func__", original),)
    assert moto_patches.source_hash(*code) == moto_patches.SOURCES[patch.label]


def orders_table(aws) -> Table:
    return next(t for b in streams.backends(streams.dynamodb_backends) for t in b.tables.values()
                if t.name == aws.config.orders_table)


@pytest.mark.parametrize("patched", [True, False], indirect=True)
def test_a_transaction_copies_no_table(aws, patched, monkeypatch, request):
    def copied(table, memo):
        raise AssertionError("a table was copied")
    monkeypatch.setattr(Table, "__deepcopy__", copied, raising=False)
    transaction = lambda: clients.dynamodb().transact_write_items(TransactItems=[put(aws, "a")])
    if request.node.callspec.params["patched"]:
        transaction()
    else:  # moto alone copies every table a transaction names, before it starts
        with pytest.raises(Exception, match="a table was copied"):
            transaction()


def test_a_refused_transaction_leaves_items_and_stream_as_they_were(aws, patched):
    dynamodb, table = clients.dynamodb(), orders_table(aws)
    dynamodb.put_item(TableName=aws.config.orders_table, Item={"id": {"S": "kept"}, "n": {"N": "1"}})
    stream, before = list(table.stream_shard.items), dynamodb.scan(TableName=aws.config.orders_table)["Items"]
    update = {"Update": {"TableName": aws.config.orders_table, "Key": {"id": {"S": "kept"}},
                         "UpdateExpression": "SET n = :two", "ExpressionAttributeValues": {":two": {"N": "2"}}}}
    never = {"ConditionCheck": {"TableName": aws.config.orders_table, "Key": {"id": {"S": "none"}},
                                "ConditionExpression": "attribute_exists(id)"}}
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException) as refusal:
        dynamodb.transact_write_items(TransactItems=[put(aws, "new"), update, never])
    codes = [reason["Code"] for reason in refusal.value.response["CancellationReasons"]]
    assert codes == ["None", "None", "ConditionalCheckFailed"]
    assert dynamodb.scan(TableName=aws.config.orders_table)["Items"] == before
    assert table.stream_shard.items == stream and orders_table(aws) is table


def by_customer(aws, email: str, **page) -> dict:
    answer = clients.dynamodb().query(
        TableName=aws.config.orders_table, IndexName="by-customer", ScanIndexForward=False,
        KeyConditionExpression="customer_email = :e", ExpressionAttributeValues={":e": {"S": email}}, **page)
    return {name: value for name, value in answer.items() if name != "ResponseMetadata"}


def order(n: int, email: str) -> dict:
    return {"id": {"S": f"o{n}"}, "customer_email": {"S": email}, "sequence_number": {"N": str(n)}}


def test_a_query_reads_the_items_of_its_key_only_and_answers_as_moto_does(aws, patched):
    dynamodb = clients.dynamodb()
    for n in range(12):
        dynamodb.put_item(TableName=aws.config.orders_table, Item=order(n, f"c{n % 3}@example.com"))
    dynamodb.update_item(TableName=aws.config.orders_table, Key={"id": {"S": "o0"}},
                         UpdateExpression="SET customer_email = :e",
                         ExpressionAttributeValues={":e": {"S": "c1@example.com"}})
    dynamodb.delete_item(TableName=aws.config.orders_table, Key={"id": {"S": "o1"}})
    asked = {"index_name": "by-customer",
             "hash_key_conditions": [("customer_email", DynamoType({"S": "c1@example.com"}))]}
    found = queries._candidates(orders_table(aws), asked)  # what moto's query goes through
    assert sorted(item.hash_key.value for item in found) == ["o0", "o10", "o4", "o7"]
    answers = [by_customer(aws, "c1@example.com"), by_customer(aws, "c1@example.com", Limit=2)]
    answers.append(by_customer(aws, "c1@example.com", ExclusiveStartKey=answers[1]["LastEvaluatedKey"]))
    moto_patches.uninstall()
    try:
        alone = [by_customer(aws, "c1@example.com"), by_customer(aws, "c1@example.com", Limit=2)]
        alone.append(by_customer(aws, "c1@example.com", ExclusiveStartKey=alone[1]["LastEvaluatedKey"]))
    finally:
        moto_patches.install()
    assert answers == alone and [o["id"]["S"] for o in answers[0]["Items"]] == ["o10", "o7", "o4", "o0"]


@pytest.mark.parametrize("patched", [True, False], indirect=True)
def test_moto_keeps_no_reference_to_the_objects_it_makes(aws, patched, request):
    Table.instances_tracked.clear()
    copy.deepcopy(orders_table(aws))
    assert len(Table.instances_tracked) == (0 if request.node.callspec.params["patched"] else 1)


def test_a_query_on_the_table_key_reads_that_key_only_and_answers_as_moto_does(aws, patched):
    dynamodb, name = clients.dynamodb(), aws.config.notifications_table
    for order_id, event_id in [("a", "2"), ("b", "1"), ("a", "1"), ("c", "3")]:
        dynamodb.put_item(TableName=name, Item={"order_id": {"S": order_id}, "event_id": {"S": event_id}})
    [table] = [t for b in streams.backends(streams.dynamodb_backends) for t in b.tables.values() if t.name == name]
    found = queries._candidates(table, {"hash_key": DynamoType({"S": "a"})})
    assert sorted(item.range_key.value for item in found) == ["1", "2"]
    query = lambda: [i["event_id"]["S"] for i in dynamodb.query(
        TableName=name, KeyConditionExpression="order_id = :id", ExpressionAttributeValues={":id": {"S": "a"}},
        ConsistentRead=True)["Items"]]
    answer = query()
    moto_patches.uninstall()
    try:
        assert answer == query() == ["1", "2"]
    finally:
        moto_patches.install()


@pytest.mark.parametrize("patched", [True, False], indirect=True)
def test_a_receive_does_not_count_the_messages_of_its_queue(aws, patched, monkeypatch, request):
    from moto.sqs.models import Queue
    sqs, counted = clients.sqs(), []
    monkeypatch.setattr(Queue, "approximate_number_of_messages_delayed",
                        property(lambda queue: counted.append(1) or 0))
    sqs.send_message(QueueUrl=aws.queue_url, MessageBody="{}")  # counts them once, in moto's way
    counted.clear()
    assert len(sqs.receive_message(QueueUrl=aws.queue_url)["Messages"]) == 1
    assert bool(counted) is not request.node.callspec.params["patched"]


def test_a_message_past_its_queues_retention_is_not_handed_out(aws, patched):
    sqs = clients.sqs()
    sqs.set_queue_attributes(QueueUrl=aws.queue_url, Attributes={"MessageRetentionPeriod": "60"})
    sqs.send_message(QueueUrl=aws.queue_url, MessageBody="{}")
    [queue] = [q for b in streams.backends(sqs_backends) for q in b.queues.values() if aws.queue_url.endswith(q.name)]
    queue._messages[0].sent_timestamp -= 61_000
    assert "Messages" not in sqs.receive_message(QueueUrl=aws.queue_url)

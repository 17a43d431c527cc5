"""Each call of the local AWS costs the same whatever the data stored (moto_patches.py): a
transaction copies no table, a query reads the items of its key only and answers as moto alone
does, a receive does not count the messages of its queue. Each fails on moto alone."""

import pytest
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table

from serverless import clients
from serverless.local import moto_patches, queries, streams
from tests.integration.serverless_support import orders_table, put


@pytest.mark.parametrize("patched", [True, False], indirect=True)
def test_a_transaction_copies_no_table(aws, patched, monkeypatch, request):
    def copied(table, memo):
        raise AssertionError("a table was copied")
    monkeypatch.setattr(Table, "__deepcopy__", copied, raising=False)
    def transaction():
        clients.dynamodb().transact_write_items(TransactItems=[put(aws, "a")])
    if request.node.callspec.params["patched"]:
        transaction()
    else:  # moto alone copies every table a transaction names, before it starts
        with pytest.raises(Exception, match="a table was copied"):
            transaction()


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


def test_a_query_on_the_table_key_reads_that_key_only_and_answers_as_moto_does(aws, patched):
    dynamodb, name = clients.dynamodb(), aws.config.notifications_table
    for order_id, event_id in [("a", "2"), ("b", "1"), ("a", "1"), ("c", "3")]:
        dynamodb.put_item(TableName=name, Item={"order_id": {"S": order_id}, "event_id": {"S": event_id}})
    [table] = [t for b in streams.backends(streams.dynamodb_backends) for t in b.tables.values()
               if t.name == name]
    found = queries._candidates(table, {"hash_key": DynamoType({"S": "a"})})
    assert sorted(item.range_key.value for item in found) == ["1", "2"]
    def query():
        return [i["event_id"]["S"] for i in dynamodb.query(
            TableName=name, KeyConditionExpression="order_id = :id", ConsistentRead=True,
            ExpressionAttributeValues={":id": {"S": "a"}})["Items"]]
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

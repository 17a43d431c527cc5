"""The local AWS's store, without processes: every change a call makes is written before the
answer and comes back after a restart (moto emptied, as a kill -9 leaves it, then loaded from
disk); a call writes only the rows it changed; the runner's place in the stream is kept."""

import json
from pathlib import Path

import pytest
from moto.dynamodbstreams.models import dynamodbstreams_backends

from serverless import clients
from serverless.handlers import orders, products
from serverless.local import changes, moto_patches, position, provision, restore, snapshot, streams
from serverless.local.journal import Journal
from serverless.local.store import Store
from tests.integration.serverless_support import call, http_event

ORDERS = "shop-orders"


class Durable:
    """moto as the local AWS runs it: each call journaled to a store in path."""

    def __init__(self, path: Path):
        self.path, self.journal = path, Journal(Store(path))

    def __call__(self, function, *args, **kwargs):
        with changes.recording() as changed:
            result = function(*args, **kwargs)
        self.journal.write(changed)
        return result

    def restart(self) -> None:
        for backends in (streams.dynamodb_backends, dynamodbstreams_backends, restore.sqs_backends):
            for backend in streams.backends(backends):
                backend.reset()
        self.journal.store.close()
        self.journal = Journal(Store(self.path))
        restore.load(self.journal.store, self.journal)


@pytest.fixture
def durable(aws, tmp_path):
    """The aws fixture's tables and queues made again, journaled."""
    moto_patches.install()
    for backends in (streams.dynamodb_backends, restore.sqs_backends):
        for backend in streams.backends(backends):
            backend.reset()
    durable = Durable(tmp_path / "aws.db")
    durable.aws, durable.deployed = aws, durable(provision.deploy, aws.config)
    return durable


def described(dynamodb, name: str) -> dict:
    table = dynamodb.describe_table(TableName=name)["Table"]
    items = dynamodb.scan(TableName=name)["Items"]
    return {"key": table["KeySchema"], "attributes": table["AttributeDefinitions"],
            "indexes": [(i["IndexName"], i["KeySchema"]) for i in table.get("GlobalSecondaryIndexes", [])],
            "ttl": dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"],
            "items": sorted(items, key=str)}


def stream(deployed) -> list[tuple]:
    arn, client = deployed.stream_arns["OrdersTable"], clients.dynamodb_streams()
    [shard] = client.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    iterator = client.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    return [(r["eventName"], r["dynamodb"]["SequenceNumber"], r["dynamodb"]["Keys"])
            for r in client.get_records(ShardIterator=iterator)["Records"]]


def an_order(sku: str) -> dict:
    return http_event("POST /orders", headers={"Idempotency-Key": f"key-{sku}"}, body={
        "customer_email": "ada@example.com", "items": [{"sku": sku, "quantity": 2}],
        "payment_method": "pm_card_visa"})


def test_every_change_comes_back_after_a_restart(durable):
    dynamodb = clients.dynamodb()
    for n in range(3):
        body = {"sku": f"KEEP-{n}", "name": "Kept", "price_cents": 100 + n, "stock": 5 + n}
        assert durable(call, products, http_event("POST /products", body=body, admin=True)).status == 201
    placed = durable(call, orders, an_order("KEEP-1")).body
    assert durable(call, orders, http_event("POST /orders/{id}/cancel", id=placed["id"])).status == 200
    durable(dynamodb.delete_item, TableName=durable.aws.config.products_table, Key={"sku": {"S": "KEEP-0"}})
    before = {name: described(dynamodb, name) for name in dynamodb.list_tables()["TableNames"]}
    records = stream(durable.deployed)
    durable.restart()
    assert {name: described(dynamodb, name) for name in dynamodb.list_tables()["TableNames"]} == before
    assert stream(durable.deployed) == records and len(records) == 2  # same ARN, same numbers
    durable(call, orders, an_order("KEEP-2"))
    after = stream(durable.deployed)
    assert after[:2] == records and int(after[2][1]) == int(records[1][1]) + 1


def test_a_call_writes_only_the_rows_it_changed(durable, monkeypatch):
    for n in range(60):
        durable(call, products, http_event("POST /products", admin=True, body={
            "sku": f"MANY-{n}", "name": "Many", "price_cents": 100, "stock": 9}))
    written = []
    monkeypatch.setattr(durable.journal.store, "write", written.extend)
    durable(call, products, http_event("POST /products/{sku}/restock", sku="MANY-7", admin=True,
                                       body={"quantity": 1}))
    assert [sql.split()[0] for sql, _ in written] == ["INSERT"]
    written.clear()
    durable(call, orders, an_order("MANY-8"))
    # The key's claim (twice: claimed, then completed with the answer), the counter, the order,
    # the stock; the order's stream record, the ones let go, the stream's next number.
    assert len(written) == 4 + 3 and sum("stream_records" in sql for sql, _ in written) == 2


def test_a_refused_transaction_leaves_what_was_there(durable):
    put = {"Put": {"TableName": ORDERS, "Item": {"id": {"S": "phantom"}}}}
    never = {"ConditionCheck": {"TableName": ORDERS, "Key": {"id": {"S": "none"}},
                                "ConditionExpression": "attribute_exists(id)"}}
    with pytest.raises(clients.dynamodb().exceptions.TransactionCanceledException):
        durable(clients.dynamodb().transact_write_items, TransactItems=[put, never])
    durable.restart()
    assert clients.dynamodb().scan(TableName=ORDERS)["Count"] == 0
    assert stream(durable.deployed) == []


def test_messages_not_deleted_come_back_and_a_dead_letter_stays_dead(durable):
    sqs, queue = clients.sqs(), durable.deployed.queue_urls["EventsQueue"]
    durable(sqs.send_message, QueueUrl=queue, MessageBody="poison")
    for _ in range(durable.aws.max_receive_count() + 1):  # the last receive moves it on
        durable(sqs.receive_message, QueueUrl=queue, VisibilityTimeout=0)
    for body in ("deleted", "in flight", "waiting"):
        durable(sqs.send_message, QueueUrl=queue, MessageBody=body)
    received = {m["Body"]: m for m in durable(sqs.receive_message, QueueUrl=queue,
                                              MaxNumberOfMessages=2)["Messages"]}
    deleted = received.get("deleted") or received["in flight"]
    durable(sqs.delete_message, QueueUrl=queue, ReceiptHandle=deleted["ReceiptHandle"])
    durable.restart()
    def bodies(url):
        return sorted(m["Body"] for m in sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", []))
    kept = sorted({"deleted", "in flight", "waiting"} - {deleted["Body"]})
    assert bodies(queue) == kept  # the one in flight visible again at once
    dead = durable.deployed.queue_urls["DeadLetterQueue"]
    assert bodies(dead) == ["poison"]


def test_tables_saved_as_json_by_an_older_local_aws_move_into_the_store(aws, tmp_path):
    moto_patches.install()
    saved = tmp_path / snapshot.FILE_NAME
    table = {"TableName": "old", "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
             "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
             "BillingMode": "PAY_PER_REQUEST"}
    saved.write_text(json.dumps([{"definition": table, "ttl_attribute": None, "stream": None,
                                  "items": [{"k": {"S": f"{n}"}} for n in range(30)]}]))
    durable = Durable(tmp_path / "aws.db")
    durable(snapshot.migrate, clients.dynamodb(), durable.journal.store, saved)
    assert not saved.exists() and saved.with_suffix(".json.migrated").exists()
    assert durable.journal.store.rows("SELECT COUNT(*) FROM items WHERE table_name = 'old'") == [(30,)]


def test_the_runner_resumes_after_the_last_batch_it_delivered(aws, tmp_path):
    place = tmp_path / "position.json"
    first = source(aws, place)
    for n in range(3):
        body = {"sku": f"POS-{n}", "name": "Placed", "price_cents": 100, "stock": 5}
        call(products, http_event("POST /products", body=body, admin=True))
        call(orders, an_order(f"POS-{n}"))
        if n == 1:
            assert first.poll_once() == 2  # two orders delivered, then the runner dies
    assert source(aws, place).poll_once() == 1  # only the third
    assert position.read(place, "another stream") == {}


def test_a_place_no_longer_in_the_stream_reads_from_the_oldest_record(aws, tmp_path):
    place = tmp_path / "position.json"
    [shard] = source(aws, place).shards
    position.write(place, aws.orders_stream_arn, {shard: "1000"})
    call(products, http_event("POST /products", admin=True, body={
        "sku": "OLD-1", "name": "Placed", "price_cents": 100, "stock": 5}))
    call(orders, an_order("OLD-1"))
    assert source(aws, place).poll_once() == 1


def source(aws, place: Path):
    return aws.deployed.mapping("PublisherEventSource", position_file=place)

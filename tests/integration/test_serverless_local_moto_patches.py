"""moto's patches (serverless/local/moto_patches.py): moto is the version they are written for,
the code they rely on is as they found it; a refused transaction is undone as moto undoes it,
objects are let go, retention is kept. (What makes each call cost the same is tested in
test_serverless_local_cost.py.)"""

import copy
import re
from pathlib import Path

import moto
import pytest
from moto.dynamodb.models.table import Table
from moto.sqs.models import sqs_backends

from serverless import clients
from serverless.local import aws as local_aws, moto_patches, streams
from tests.integration.serverless_support import orders_table, put


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


def test_a_refused_transaction_leaves_items_and_stream_as_they_were(aws, patched):
    dynamodb, table = clients.dynamodb(), orders_table(aws)
    dynamodb.put_item(TableName=aws.config.orders_table, Item={"id": {"S": "kept"}, "n": {"N": "1"}})
    stream, before = list(table.stream_shard.items), dynamodb.scan(TableName=aws.config.orders_table)["Items"]
    update = {"Update": {"TableName": aws.config.orders_table, "Key": {"id": {"S": "kept"}},
                         "UpdateExpression": "SET n = :two",
                         "ExpressionAttributeValues": {":two": {"N": "2"}}}}
    never = {"ConditionCheck": {"TableName": aws.config.orders_table, "Key": {"id": {"S": "none"}},
                                "ConditionExpression": "attribute_exists(id)"}}
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException) as refusal:
        dynamodb.transact_write_items(TransactItems=[put(aws, "new"), update, never])
    codes = [reason["Code"] for reason in refusal.value.response["CancellationReasons"]]
    assert codes == ["None", "None", "ConditionalCheckFailed"]
    assert dynamodb.scan(TableName=aws.config.orders_table)["Items"] == before
    assert table.stream_shard.items == stream and orders_table(aws) is table


@pytest.mark.parametrize("patched", [True, False], indirect=True)
def test_moto_keeps_no_reference_to_the_objects_it_makes(aws, patched, request):
    Table.instances_tracked.clear()
    copy.deepcopy(orders_table(aws))
    assert len(Table.instances_tracked) == (0 if request.node.callspec.params["patched"] else 1)


def test_a_message_past_its_queues_retention_is_not_handed_out(aws, patched):
    sqs = clients.sqs()
    sqs.set_queue_attributes(QueueUrl=aws.queue_url, Attributes={"MessageRetentionPeriod": "60"})
    sqs.send_message(QueueUrl=aws.queue_url, MessageBody="{}")
    [queue] = [q for b in streams.backends(sqs_backends) for q in b.queues.values()
               if aws.queue_url.endswith(q.name)]
    queue._messages[0].sent_timestamp -= 61_000
    assert "Messages" not in sqs.receive_message(QueueUrl=aws.queue_url)

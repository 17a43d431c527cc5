"""The runner provisions the local AWS from serverless/template.yaml and from nothing else: a
setting changed in a copy of the template is what the tables, queues and event sources get, a
setting the runner would not apply stops it, and provision.py names no table, queue, key or
attribute of its own."""

import copy
import inspect
import json

import pytest

from serverless import clients
from serverless.local import mappings, provision, template

pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse AWS..ApiGatewayV2")


def written(tmp_path, described: dict):
    """A copy of the template (JSON is YAML too, and keeps the !Ref and !GetAtt as dicts)."""
    path = tmp_path / f"template-{len(list(tmp_path.iterdir()))}.yaml"
    path.write_text(json.dumps(described))
    return path


@pytest.fixture
def empty(aws):
    """moto without what the aws fixture made, and the template as a dict to change."""
    for name in clients.dynamodb().list_tables()["TableNames"]:
        clients.dynamodb().delete_table(TableName=name)
    for url in clients.sqs().list_queues().get("QueueUrls", []):
        clients.sqs().delete_queue(QueueUrl=url)
    return copy.deepcopy(template.load())


def attributes(url: str) -> dict:
    return clients.sqs().get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]


def test_a_setting_changed_in_the_template_is_what_the_local_aws_gets(aws, empty, tmp_path):
    resources = empty["Resources"]
    resources["EventsQueue"]["Properties"]["VisibilityTimeout"] = 45
    resources["EventsQueue"]["Properties"]["RedrivePolicy"]["maxReceiveCount"] = 5
    resources["IdempotencyTable"]["Properties"]["TimeToLiveSpecification"]["AttributeName"] = "gone_at"
    resources["WorkerEventSource"]["Properties"]["BatchSize"] = 4
    resources["PublisherEventSource"]["Properties"] |= {"MaximumRetryAttempts": 2,
                                                        "StartingPosition": "LATEST"}
    resources["AuditTable"] = {"Type": "AWS::DynamoDB::Table", "Properties": {
        "BillingMode": "PAY_PER_REQUEST", "KeySchema": [{"AttributeName": "at", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "at", "AttributeType": "N"}]}}
    resources["SpareQueue"] = {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 7}}

    deployed = provision.deploy(aws.config, written(tmp_path, empty))

    events = attributes(deployed.queue_urls["EventsQueue"])
    dead = attributes(deployed.queue_urls["DeadLetterQueue"])
    assert events["VisibilityTimeout"] == "45"
    assert json.loads(events["RedrivePolicy"]) == {"deadLetterTargetArn": dead["QueueArn"],
                                                   "maxReceiveCount": 5}
    assert attributes(deployed.queue_urls["SpareQueue"])["DelaySeconds"] == "7"
    dynamodb = clients.dynamodb()
    ttl = dynamodb.describe_time_to_live(TableName=aws.config.idempotency_table)["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "gone_at"
    assert dynamodb.describe_table(TableName="shop-AuditTable")["Table"]["KeySchema"] == [
        {"AttributeName": "at", "KeyType": "HASH"}]
    assert deployed.mapping("WorkerEventSource").settings.batch_size == 4
    publisher = deployed.mapping("PublisherEventSource").settings
    assert (publisher.max_retries, publisher.starting_position) == (2, "LATEST")


def test_the_runner_starts_again_on_what_exists_and_applies_the_queues_settings(aws, tmp_path):
    described = copy.deepcopy(template.load())
    clients.dynamodb().put_item(TableName=aws.config.products_table, Item={"sku": {"S": "KEPT"}})
    described["Resources"]["EventsQueue"]["Properties"]["VisibilityTimeout"] = 30

    again = provision.deploy(aws.config, written(tmp_path, described))

    assert (again.queue_urls, again.stream_arns) == (aws.deployed.queue_urls, aws.deployed.stream_arns)
    assert clients.dynamodb().scan(TableName=aws.config.products_table)["Count"] == 1
    assert attributes(aws.queue_url)["VisibilityTimeout"] == "30"


@pytest.mark.parametrize("logical, setting", [
    ("WorkerEventSource", {"Enabled": False}),
    ("EventsQueue", {"FifoQueue": True}),
    ("OrdersTable", {"Tags": [{"Key": "team", "Value": "shop"}]}),
])
def test_a_setting_the_runner_would_not_apply_stops_it(aws, tmp_path, logical, setting):
    described = copy.deepcopy(template.load())
    described["Resources"][logical]["Properties"] |= setting
    with pytest.raises(template.TemplateError, match=f"{logical} sets {next(iter(setting))}"):
        provision.deploy(aws.config, written(tmp_path, described))


def strings(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | set().union(*map(strings, value.values()))
    if isinstance(value, list):
        return set().union(*map(strings, value))
    return {str(value)} if isinstance(value, str) else set()


def test_provision_names_no_table_queue_key_or_attribute_of_its_own():
    source = inspect.getsource(provision)
    described = template.load()["Resources"]
    kinds = (template.TABLE, template.QUEUE, mappings.MAPPING)
    named = {name for logical, r in described.items() if r["Type"] in kinds
             for name in strings(r["Properties"]) | {logical}}
    named -= {"Ref", "Fn::GetAtt", "Arn", "StreamArn", "S", "N", "HASH", "RANGE", "ALL"}
    assert {"sku", "by-customer", "expires_at", "VisibilityTimeout", "OrdersTable"} <= named
    assert [name for name in sorted(named) if f'"{name}"' in source or f"'{name}'" in source] == []
    assert "shop-" not in source

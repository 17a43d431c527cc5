"""serverless/template.yaml, the outbox part: the orders table's stream feeds the publisher
through an event source mapping set as the runner plays it, its filter passes exactly the
changes the publisher announces, and only the publisher may send to the events queue."""

import itertools
import json

import boto3
import pytest

from serverless import notifications
from tests.integration.serverless_support import stream_event

pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse AWS..ApiGatewayV2")


def test_the_orders_stream_feeds_the_publisher_as_the_runner_does(stack, aws):
    template, resources, functions = stack
    stream = boto3.client("dynamodb").describe_table(TableName=resources["OrdersTable"])["Table"]
    local = boto3.client("dynamodb").describe_table(TableName=aws.config.orders_table)["Table"]
    failures = boto3.client("sqs").get_queue_attributes(QueueUrl=resources["PublishFailuresQueue"],
                                                        AttributeNames=["All"])["Attributes"]
    mapping = boto3.client("lambda").get_event_source_mapping(UUID=resources["PublisherEventSource"])
    assert (mapping["EventSourceArn"], mapping["FunctionArn"]) == (
        stream["LatestStreamArn"], functions["PublisherFunction"]["FunctionArn"])
    assert stream["StreamSpecification"] == local["StreamSpecification"] == {
        "StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    source = aws.stream_source  # as the runner plays it
    assert (source.stream_arn, source.on_failure_url) == (aws.orders_stream_arn, aws.publish_failures_url)
    played = source.settings
    assert (mapping["BatchSize"], mapping["MaximumRetryAttempts"]) == (played.batch_size, played.max_retries)
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"] and played.report_failures
    assert mapping["BisectBatchOnFunctionError"] and played.bisect
    assert mapping["StartingPosition"] == played.starting_position == "TRIM_HORIZON"
    assert mapping["DestinationConfig"] == {"OnFailure": {"Destination": failures["QueueArn"]}}


def matches(pattern, value) -> bool:
    """Lambda's event filtering, as much of it as the template uses: lists of allowed values."""
    if isinstance(pattern, list):
        return value in pattern
    return isinstance(value, dict) and all(k in value and matches(p, value[k]) for k, p in pattern.items())


def test_the_stream_filter_passes_exactly_the_changes_the_publisher_announces(stack):
    template, resources, functions = stack
    mapping = boto3.client("lambda").get_event_source_mapping(UUID=resources["PublisherEventSource"])
    patterns = [json.loads(f["Pattern"]) for f in mapping["FilterCriteria"]["Filters"]]
    states = [None, *({"id": "o-1", "customer_email": "ada@example.com", "status": status}
                      for status in ("confirmed", "rejected", "cancelled"))]
    changes = [change for change in itertools.product(states, states) if change != (None, None)]
    for record in stream_event(*changes)["Records"]:
        passed = any(matches(pattern, record) for pattern in patterns)
        assert passed == (notifications.for_change(record["dynamodb"]) is not None), record
    assert sum(notifications.for_change(r["dynamodb"]) is not None
               for r in stream_event(*changes)["Records"]) == 2


def test_only_the_publisher_sends_events(stack):
    template, resources, functions = stack
    senders = {logical.removesuffix("Role") for logical, resource in template["Resources"].items()
               if resource["Type"] == "AWS::IAM::Role"
               for policy in resource["Properties"].get("Policies", [])
               for statement in policy["PolicyDocument"]["Statement"]
               if "sqs:SendMessage" in statement["Action"]
               and statement["Resource"] == {"Fn::GetAtt": ["EventsQueue", "Arn"]}}
    assert senders == {"PublisherFunction"}

"""serverless/template.yaml: lint-clean, and deployed into moto it creates exactly what the
handlers use (table names, keys, indexes, the orders stream, queues, event sources, routes), so
template and code cannot drift."""

import json
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from serverless import clients, config
from serverless.handlers import notifications, orders, products, publisher, worker
from serverless.local import gateway, invoke, mappings, stream_source, template as local_template
from shared import settings
from tests.integration.serverless_stack import MANAGED_POLICIES, PARAMETER, TEMPLATE, TOKEN
from tests.integration.serverless_support import call, cold_start, http_event, sqs_event

# moto's CloudFormation has no HTTP APIs: it skips them, and the routes are checked in the template.
# (A dot for each colon: a warning filter splits at colons.)
pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse AWS..ApiGatewayV2")

ADMIN_FUNCTIONS = {"ProductsFunction", "OrdersFunction", "NotificationsFunction"}
def described(table: str) -> dict:
    found = boto3.client("dynamodb").describe_table(TableName=table)["Table"]
    indexes = [{key: index[key] for key in ("IndexName", "KeySchema", "Projection")}
               for index in found.get("GlobalSecondaryIndexes", [])]
    return {"KeySchema": found["KeySchema"], "Indexes": indexes,
            "Stream": found.get("StreamSpecification", {"StreamEnabled": False}),
            "AttributeDefinitions": sorted(found["AttributeDefinitions"], key=str)}


def test_cfn_lint_is_clean():
    """`cfn-lint serverless/template.yaml`, exactly as a user or CI would run it."""
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(cfn_lint), str(TEMPLATE)], capture_output=True, text=True,
                            cwd=TEMPLATE.parents[1], timeout=120, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def local_names(functions) -> tuple[dict, dict]:
    """Logical id -> name, as the deployed functions see them and as the runner made them."""
    described_template = local_template.load()
    deployed = config.from_env(functions["OrdersFunction"]["Environment"]["Variables"])
    return (local_template.names(described_template, deployed),
            local_template.names(described_template, config.current()))


def test_the_tables_are_the_ones_the_handlers_and_the_runner_use(stack):
    template, resources, functions = stack
    deployed, local = local_names(functions)
    tables = local_template.of_type(local_template.load(), local_template.TABLE)
    assert len(tables) == 5
    dynamodb = boto3.client("dynamodb")
    for logical in tables:
        assert deployed[logical] == resources[logical]  # the functions are told the stack's tables
        assert described(resources[logical]) == described(local[logical])
        # moto's CloudFormation leaves TTL out: the runner's is checked against the template.
        ttl = tables[logical].get("TimeToLiveSpecification")
        assert dynamodb.describe_time_to_live(TableName=local[logical])["TimeToLiveDescription"] == (
            {"AttributeName": ttl["AttributeName"], "TimeToLiveStatus": "ENABLED"} if ttl
            else {"TimeToLiveStatus": "DISABLED"})
    assert tables["IdempotencyTable"]["TimeToLiveSpecification"]["AttributeName"] == "expires_at"


def test_every_function_sees_the_same_tables_and_queue(stack):
    template, resources, functions = stack
    environments = [f["Environment"]["Variables"] for f in functions.values()]
    tables_and_queue = [config.from_env(env) for env in environments]
    assert all(found == tables_and_queue[0] for found in tables_and_queue)
    queue = boto3.client("sqs").get_queue_url(QueueName=tables_and_queue[0].events_queue)["QueueUrl"]
    assert queue == resources["EventsQueue"]


QUEUE_ATTRIBUTES = ["VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds",
                    "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds"]


def queues(urls: dict[str, str]) -> dict[str, dict]:
    """Logical id -> the queue's settings, its dead-letter queue named by logical id."""
    sqs = boto3.client("sqs")
    found = {logical: sqs.get_queue_attributes(QueueUrl=urls[logical], AttributeNames=["All"])["Attributes"]
             for logical in local_template.of_type(local_template.load(), local_template.QUEUE)}
    logical_of = {attributes["QueueArn"]: logical for logical, attributes in found.items()}
    settings = {}
    for logical, attributes in found.items():
        settings[logical] = {name: attributes[name] for name in QUEUE_ATTRIBUTES}
        if "RedrivePolicy" in attributes:
            redrive = json.loads(attributes["RedrivePolicy"])
            settings[logical]["redrive"] = (logical_of[redrive["deadLetterTargetArn"]],
                                            int(redrive["maxReceiveCount"]))
    return settings


def test_the_queues_retry_and_dead_letter_as_the_runners_do(stack, aws):
    template, resources, functions = stack
    assert queues(resources) == queues(aws.deployed.queue_urls)
    assert queues(resources)["EventsQueue"]["redrive"] == ("DeadLetterQueue", 3)
    attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=resources["EventsQueue"],
                                                          AttributeNames=["QueueArn"])
    mapping = boto3.client("lambda").get_event_source_mapping(UUID=resources["WorkerEventSource"])
    assert mapping["EventSourceArn"] == attributes["Attributes"]["QueueArn"]
    assert mapping["FunctionArn"] == functions["WorkerFunction"]["FunctionArn"]
    played = aws.worker_source().settings  # what the runner plays
    assert (mapping["BatchSize"], played.function, played.source) == (
        played.batch_size, "WorkerFunction", "EventsQueue")
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"] and played.report_failures


def test_the_routes_are_the_handlers_routes(stack):
    template, resources, functions = stack
    paths = template["Resources"]["ServerlessHttpApi"]["Properties"]["Body"]["paths"]
    routed = {}
    for path, methods in paths.items():
        for method, operation in methods.items():
            uri = operation["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
            function = uri.split("${")[-1].split(".Arn}")[0]
            key = "$default" if path == "$default" else f"{method.upper()} {path}"
            routed[key] = function
    expected = {key: name for name, module in gateway.FUNCTIONS.items() for key in module.api.views}
    assert routed == expected
    for name, module in [*gateway.FUNCTIONS.items(), ("WorkerFunction", worker),
                         ("PublisherFunction", publisher)]:
        assert functions[name]["Handler"] == f"{module.__name__}.handler"


def test_timeouts_fit_the_idempotency_takeover(stack, aws):
    template, resources, functions = stack
    for function in functions.values():
        assert function["Timeout"] == invoke.TIMEOUT_SECONDS
        assert function["Timeout"] * 1000 < settings.CLAIM_TIMEOUT_SECONDS * 1000
    visibility = queues(aws.deployed.queue_urls)["EventsQueue"]["VisibilityTimeout"]
    assert int(visibility) >= 6 * invoke.TIMEOUT_SECONDS
    # A function whose AWS calls all time out still answers 503 before Lambda cuts it off.
    sdk = clients.SETTINGS
    worst = (sdk.connect_timeout + sdk.read_timeout) * sdk.retries["total_max_attempts"]
    assert worst < invoke.TIMEOUT_SECONDS


def statements(template: dict, function: str) -> list[dict]:
    role = template["Resources"][f"{function}Role"]["Properties"]
    return [s for policy in role.get("Policies", []) for s in policy["PolicyDocument"]["Statement"]]


def test_the_token_is_no_environment_variable_and_only_admin_functions_may_read_it(stack):
    template, resources, functions = stack
    for name, function in functions.items():
        variables = function["Environment"]["Variables"]
        assert TOKEN not in variables.values() and "SHOP_ADMIN_TOKEN" not in variables
        assert variables.get("SHOP_ADMIN_TOKEN_PARAMETER") == (PARAMETER if name in ADMIN_FUNCTIONS else None)
        readers = [s for s in statements(template, name) if "ssm:GetParameter" in json.dumps(s["Action"])]
        assert len(readers) == (name in ADMIN_FUNCTIONS), name
        for statement in readers:  # this one parameter, nothing else in Parameter Store
            assert statement["Action"] == "ssm:GetParameter"
            assert statement["Resource"]["Fn::Sub"].endswith(":parameter${AdminTokenParameter}")


def test_policies_name_their_resources_and_no_wildcards(stack):
    template, resources, functions = stack
    for logical, resource in template["Resources"].items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        assert resource["Properties"]["ManagedPolicyArns"] == list(MANAGED_POLICIES.values())
        for policy in resource["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                action = statement["Action"]
                actions = action if isinstance(action, list) else [action]
                assert all("*" not in action for action in actions), logical
                assert statement["Resource"] != "*" and "*" not in json.dumps(statement["Resource"])


def test_the_handlers_work_with_the_deployed_stack(stack, monkeypatch):
    """Run the functions with the environment CloudFormation gave them, against its resources."""
    template, resources, functions = stack
    for name in ("ProductsFunction", "OrdersFunction", "NotificationsFunction", "PublisherFunction"):
        for variable, value in functions[name]["Environment"]["Variables"].items():
            monkeypatch.setenv(variable, value)
    cold_start()
    boto3.client("lambda").update_event_source_mapping(  # this test plays the event source itself
        UUID=resources["WorkerEventSource"], Enabled=False)
    product = {"sku": "STACK-1", "name": "Deployed", "price_cents": 100, "stock": 2}
    admin = {"Authorization": f"Bearer {TOKEN}"}  # the token given at deploy time
    assert call(products, http_event("POST /products", body=product, headers=admin)).status == 201
    body = {"customer_email": "ada@example.com", "items": [{"sku": "STACK-1", "quantity": 2}],
            "payment_method": "pm_card_visa"}
    placed = call(orders, http_event("POST /orders", body=body, headers={"Idempotency-Key": "k"}))
    assert placed.status == 201
    listing = call(orders, http_event("GET /orders", query={"customer_email": "ada@example.com"},
                                      headers=admin))
    assert [o["id"] for o in listing.body["items"]] == [placed.body["id"]]
    stream = boto3.client("dynamodb").describe_table(TableName=resources["OrdersTable"])["Table"]
    [settings] = [s for s in mappings.event_sources(local_template.load())
                  if s.name == "PublisherEventSource"]
    source = stream_source.StreamEventSource(settings, stream["LatestStreamArn"], publisher.handler,
                                             resources["PublishFailuresQueue"])
    assert source.poll_once() == 1
    messages = boto3.client("sqs").receive_message(QueueUrl=resources["EventsQueue"])["Messages"]
    assert worker.handler(sqs_event(messages[0]["Body"]), None) == {"batchItemFailures": []}
    listed = call(notifications, http_event("GET /notifications", query={"order_id": placed.body["id"]},
                                            headers=admin))
    assert [n["kind"] for n in listed.body["items"]] == ["order_confirmed"]

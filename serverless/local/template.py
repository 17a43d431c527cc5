"""serverless/template.yaml read as the local runner needs it: the one description of the
tables and queues, which provision.py creates, and of the event source mappings the runner
plays (mappings.py).

A setting the runner would not apply is refused (TemplateError) rather than passed over, so
that the template and what runs locally cannot quietly part ways.
"""

import functools
import json
from pathlib import Path

from samtranslator.yaml_helper import yaml_parse  # the parser `sam` uses: !Ref, !GetAtt...

from serverless.config import Config

PATH = Path(__file__).resolve().parents[1] / "template.yaml"
STACK = "shop"  # CloudFormation names an unnamed resource "<stack>-<logical id>-<random suffix>"
TABLE, QUEUE = "AWS::DynamoDB::Table", "AWS::SQS::Queue"
# CloudFormation's properties that CreateTable takes as they are; the stream and the TTL follow.
TABLE_ARGUMENTS = {"BillingMode", "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes",
                   "LocalSecondaryIndexes", "ProvisionedThroughput"}
TABLE_OTHERS = {"TableName", "StreamSpecification", "TimeToLiveSpecification"}
QUEUE_ATTRIBUTES = {"VisibilityTimeout", "MessageRetentionPeriod", "RedrivePolicy", "DelaySeconds",
                    "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds"}
# Encryption at rest and backups: no request can tell them apart, so locally they are left out.
TABLE_ON_AWS_ONLY = {"SSESpecification", "PointInTimeRecoverySpecification"}
QUEUE_ON_AWS_ONLY = {"KmsMasterKeyId"}


class TemplateError(ValueError):
    """The template asks for something the local runner does not do."""


@functools.cache
def load(path: Path = PATH) -> dict:
    return yaml_parse(path.read_text())


def of_type(template: dict, kind: str) -> dict[str, dict]:
    """Logical id -> properties of every resource of this type."""
    return {name: resource.get("Properties", {}) for name, resource in template["Resources"].items()
            if resource["Type"] == kind}


def names(template: dict, config: Config) -> dict[str, str]:
    """Each table's and queue's local name: the one config.py reads from the variable the
    functions are given it in (PRODUCTS_TABLE: !Ref ProductsTable), else as CloudFormation
    would name it, without the random suffix."""
    named = {logical: properties.get("TableName") or properties.get("QueueName") or f"{STACK}-{logical}"
             for logical, properties in (of_type(template, TABLE) | of_type(template, QUEUE)).items()}
    for variable, value in template["Globals"]["Function"]["Environment"]["Variables"].items():
        if isinstance(value, dict):
            named[referenced(value)] = getattr(config, variable.lower())
    return named


def admin_token_parameter(template: dict) -> str:
    """The name of the SecureString the admin functions read the token from."""
    return template["Parameters"]["AdminTokenParameter"]["Default"]


def referenced(value: dict) -> str:
    """The logical id a !Ref or a !GetAtt names."""
    return value["Ref"] if "Ref" in value else value["Fn::GetAtt"][0]


def table(name: str, logical: str, properties: dict) -> tuple[dict, dict | None]:
    """CreateTable's arguments, and UpdateTimeToLive's specification if it has one."""
    refuse_unknown(logical, properties, TABLE_ARGUMENTS | TABLE_OTHERS | TABLE_ON_AWS_ONLY)
    spec = {"TableName": name} | {k: v for k, v in properties.items() if k in TABLE_ARGUMENTS}
    if "StreamSpecification" in properties:
        spec["StreamSpecification"] = {"StreamEnabled": True, **properties["StreamSpecification"]}
    return spec, properties.get("TimeToLiveSpecification")


def queue_attributes(logical: str, properties: dict, arn_of) -> dict[str, str]:
    """SetQueueAttributes' attributes, each !GetAtt X.Arn replaced by arn_of(X)."""
    refuse_unknown(logical, properties, QUEUE_ATTRIBUTES | QUEUE_ON_AWS_ONLY | {"QueueName"})
    return {key: json.dumps(_resolved(value, arn_of)) if isinstance(value, dict) else str(value)
            for key, value in properties.items() if key in QUEUE_ATTRIBUTES}


def queues_in_order(template: dict) -> list[tuple[str, dict]]:
    """The queues, each after the queues its attributes name (a dead-letter queue first)."""
    pending = of_type(template, QUEUE)
    done: list[tuple[str, dict]] = []
    while pending:
        ready = [q for q, p in pending.items() if _references(p) <= {name for name, _ in done}]
        if not ready:
            raise TemplateError(f"queues that name each other: {sorted(pending)}")
        done += [(q, pending.pop(q)) for q in ready]
    return done


def _resolved(value, arn_of):
    if _is_reference(value):
        return arn_of(referenced(value))
    return {k: _resolved(v, arn_of) for k, v in value.items()} if isinstance(value, dict) else value


def _is_reference(value) -> bool:
    return isinstance(value, dict) and value.keys() in ({"Ref"}, {"Fn::GetAtt"})


def _references(value) -> set[str]:
    if _is_reference(value):
        return {referenced(value)}
    return set().union(*map(_references, value.values())) if isinstance(value, dict) else set()


def refuse_unknown(logical: str, properties: dict, known: set[str]) -> None:
    if unknown := sorted(set(properties) - known):
        raise TemplateError(f"template.yaml: {logical} sets {', '.join(unknown)}, "
                            "which the local runner does not apply (serverless/local/template.py)")

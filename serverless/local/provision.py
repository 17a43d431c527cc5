"""Creates in the local AWS what serverless/template.yaml declares, as `sam deploy` does on AWS:
the tables and the queues, read from the template (template.py), and none listed here; and
the admin token's parameter, which on AWS is made before the stack.

Run at every start of the runner: a table that exists is left as it is (the local AWS keeps
them across restarts; a table's keys cannot change in place on AWS either), a queue that exists
is given the template's attributes again. tests/integration/test_serverless_template.py deploys the
same template through CloudFormation (in moto) and checks that both make the same tables and
queues.
"""

import importlib
from dataclasses import dataclass, replace
from pathlib import Path

from serverless import clients, config as serverless_config
from serverless.config import Config
from serverless.local import mappings, template
from serverless.local.event_source import EventSourceMapping
from serverless.local.stream_source import StreamEventSource


@dataclass(frozen=True)
class Deployed:
    queue_urls: dict[str, str]  # logical id -> URL
    stream_arns: dict[str, str]  # logical id of a table with a stream -> the stream's ARN
    event_sources: list[mappings.EventSource]

    def mapping(self, name: str, handler=None, position_file: Path | None = None, **settings):
        """The runner's player of the event source mapping `name` (a logical id): its handler
        is the function's own unless one is given, its settings the template's unless changed."""
        source = replace(next(s for s in self.event_sources if s.name == name), **settings)
        handler = handler or _handler(source.handler)
        if source.source in self.stream_arns:
            return StreamEventSource(source, self.stream_arns[source.source], handler,
                                     self.queue_urls.get(source.on_failure or ""), position_file)
        return EventSourceMapping(source, self.queue_urls[source.source], handler)


def deploy(config: Config, path: Path = template.PATH, *, admin_token: str | None = None) -> Deployed:
    """Creates what is missing and stores the admin token where the functions read it (what
    `aws ssm put-parameter` does before `sam deploy`); returns where the event sources read
    and write."""
    described = template.load(path)
    names = template.names(described, config)
    if admin_token is not None:
        _admin_token(described, admin_token)
    return Deployed(_queues(described, names), _tables(described, names),
                    mappings.event_sources(described))


def _tables(described: dict, names: dict[str, str]) -> dict[str, str]:
    dynamodb, streams = clients.dynamodb(), {}
    existing = set(dynamodb.get_paginator("list_tables").paginate().build_full_result()["TableNames"])
    for logical, properties in template.of_type(described, template.TABLE).items():
        spec, time_to_live = template.table(names[logical], logical, properties)
        if spec["TableName"] not in existing:
            dynamodb.create_table(**spec)
            if time_to_live:
                dynamodb.update_time_to_live(TableName=spec["TableName"],
                                             TimeToLiveSpecification=time_to_live)
        found = dynamodb.describe_table(TableName=spec["TableName"])["Table"]
        if found.get("LatestStreamArn"):
            streams[logical] = found["LatestStreamArn"]
    return streams


def _admin_token(described: dict, token: str) -> None:
    """A SecureString under the name template.yaml's functions are given, which config.py's
    default must be."""
    name = template.admin_token_parameter(described)
    if name != serverless_config.ADMIN_TOKEN_PARAMETER:
        raise template.TemplateError(f"template.yaml: AdminTokenParameter defaults to {name}, "
                                     f"serverless/config.py to {serverless_config.ADMIN_TOKEN_PARAMETER}")
    clients.ssm().put_parameter(Name=name, Value=token, Type="SecureString", Overwrite=True)


def _queues(described: dict, names: dict[str, str]) -> dict[str, str]:
    sqs = clients.sqs()
    urls: dict[str, str] = {}
    arns: dict[str, str] = {}
    for logical, properties in template.queues_in_order(described):
        urls[logical] = sqs.create_queue(QueueName=names[logical])["QueueUrl"]
        attributes = template.queue_attributes(logical, properties, arns.__getitem__)
        if attributes:
            sqs.set_queue_attributes(QueueUrl=urls[logical], Attributes=attributes)
        arns[logical] = sqs.get_queue_attributes(
            QueueUrl=urls[logical], AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return urls


def _handler(path: str):
    """A function's Handler (module.function), imported as Lambda's Python runtime does."""
    module, _, function = path.rpartition(".")
    return getattr(importlib.import_module(module), function)

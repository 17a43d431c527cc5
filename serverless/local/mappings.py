"""The event source mappings of serverless/template.yaml, as the runner plays them
(stream_source.py for a DynamoDB stream, event_source.py for a queue): each with its settings
and the function its FunctionName names."""

from dataclasses import dataclass

from serverless.local import template

MAPPING = "AWS::Lambda::EventSourceMapping"
# What the runner plays of a mapping. FilterCriteria only saves invocations: the publisher
# passes over the same changes itself.
MAPPING_SETTINGS = {"EventSourceArn", "FunctionName", "BatchSize", "StartingPosition",
                    "MaximumRetryAttempts", "BisectBatchOnFunctionError", "FunctionResponseTypes",
                    "DestinationConfig", "FilterCriteria"}
DEFAULT_BATCH_SIZE = {"StreamArn": 100, "Arn": 10}  # Lambda's, for a stream and for a queue


@dataclass(frozen=True)
class EventSource:
    name: str  # the mapping's logical id
    function: str  # the function's logical id, e.g. PublisherFunction
    handler: str  # its Handler, e.g. serverless.handlers.publisher.handler
    source: str  # the table (of a stream) or the queue it reads, by logical id
    batch_size: int
    starting_position: str | None  # of a stream: TRIM_HORIZON or LATEST
    max_retries: int | None  # of a stream: None retries until the record expires
    bisect: bool  # halve a batch the function failed as a whole
    report_failures: bool  # the function may name the records that failed (batchItemFailures)
    on_failure: str | None  # the queue told of a batch given up on, by logical id


def event_sources(described: dict) -> list[EventSource]:
    found = []
    for logical, p in template.of_type(described, MAPPING).items():
        template.refuse_unknown(logical, p, MAPPING_SETTINGS)
        function = template.referenced(p["FunctionName"])
        source, attribute = p["EventSourceArn"]["Fn::GetAtt"]
        on_failure = p.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
        found.append(EventSource(
            logical, function, described["Resources"][function]["Properties"]["Handler"], source,
            p.get("BatchSize", DEFAULT_BATCH_SIZE[attribute]), p.get("StartingPosition"),
            _retries(p.get("MaximumRetryAttempts", -1)), p.get("BisectBatchOnFunctionError", False),
            "ReportBatchItemFailures" in p.get("FunctionResponseTypes", []),
            template.referenced(on_failure) if on_failure else None))
    return found


def _retries(value: int) -> int | None:
    return None if value == -1 else value  # -1, Lambda's default: until the record expires

"""DynamoDB plumbing: Python values to attribute values and back, and what a refusal means."""

import contextlib
import random
import time
from collections.abc import Iterator
from decimal import Decimal

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from serverless import clients
from shared.errors import ServiceUnavailable

_serializer, _deserializer = TypeSerializer(), TypeDeserializer()

# A condition did not hold, or (on real DynamoDB) another transaction held the same item.
REFUSALS = {"ConditionalCheckFailedException", "TransactionCanceledException",
            "TransactionConflictException"}


ATTEMPTS = 5  # reads-and-commits a use case tries before it gives up with a 503


class Conflict(Exception):
    """A conditional write or a transaction was refused: the data changed since it was read."""


@contextlib.contextmanager
def refusal_is_conflict():
    """Turns DynamoDB's refusals into Conflict; any other failure goes on as it is."""
    try:
        yield
    except ClientError as error:
        if error.response["Error"]["Code"] in REFUSALS:
            raise Conflict(error.response["Error"].get("Message", "")) from error
        raise


def item(values: dict) -> dict:
    """{"sku": "MUG"} -> {"sku": {"S": "MUG"}}"""
    return {name: _serializer.serialize(value) for name, value in values.items()}


def values(**named) -> dict:
    """Expression attribute values: values(q=2) -> {":q": {"N": "2"}}."""
    return {f":{name}": _serializer.serialize(value) for name, value in named.items()}


def plain(attributes: dict) -> dict:
    """{"stock": {"N": "3"}} -> {"stock": 3}; every number in this shop is an integer."""
    return {name: _integers(_deserializer.deserialize(value)) for name, value in attributes.items()}


def _integers(value):
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, list):
        return [_integers(v) for v in value]
    if isinstance(value, dict):
        return {k: _integers(v) for k, v in value.items()}
    return value


def commit(items: list[dict]) -> None:
    """All of `items` or none (TransactWriteItems); raises Conflict if a condition fails."""
    with refusal_is_conflict():
        clients.dynamodb().transact_write_items(TransactItems=items)


def attempts() -> Iterator[int]:
    """A few tries after a Conflict, with a short random pause between them; after the last,
    the caller raises too_busy()."""
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(random.uniform(0, 0.01 * 2 ** attempt))
        yield attempt


def too_busy() -> ServiceUnavailable:
    """The 503 of a use case whose every attempt met a Conflict."""
    return ServiceUnavailable("The shop is too busy to answer right now; please try again.")

"""Idempotency keys in DynamoDB, with conditional writes instead of locks.

A request claims its key with a put that only succeeds if the key is new, so a second
request with the same key sees "in progress" at once. The response is stored by an item
of the same transaction that records the order it describes.
"""

import json
import secrets
import time

from serverless import clients, config, dynamodb
from serverless.dynamodb import item, plain, values
from shared import idempotency
from shared.errors import IdempotencyKeyInUse
from shared.idempotency import Record, StoredResponse

# DynamoDB's time to live removes a record some time after this, never before.
KEEP_SECONDS = 24 * 60 * 60
IN_USE = "A request with this Idempotency-Key is still being processed."


def _table() -> str:
    return config.current().idempotency_table


def claim(key: str, fingerprint: str) -> StoredResponse | str:
    """The stored response to replay, or a claim token: this request now owns the key."""
    token = secrets.token_hex(16)
    for _ in range(3):  # the key may be released between our put and our read
        if _put_new(key, fingerprint, token):
            return token
        if (found := _get(key)) is not None:
            return _existing(found, key, fingerprint, token)
    raise IdempotencyKeyInUse(IN_USE)


def _put_new(key: str, fingerprint: str, token: str) -> bool:
    now = time.time()
    record = {"idempotency_key": key, "fingerprint": fingerprint, "claim": token,
              "claimed_at_ms": int(now * 1000), "expires_at": int(now) + KEEP_SECONDS}
    try:
        with dynamodb.refusal_is_conflict():
            clients.dynamodb().put_item(TableName=_table(), Item=item(record),
                                        ConditionExpression="attribute_not_exists(idempotency_key)")
    except dynamodb.Conflict:
        return False
    return True


def _get(key: str) -> dict | None:
    found = clients.dynamodb().get_item(TableName=_table(), Key=item({"idempotency_key": key}),
                                        ConsistentRead=True)
    return plain(found["Item"]) if "Item" in found else None


def _existing(found: dict, key: str, fingerprint: str, token: str) -> StoredResponse | str:
    stored = (StoredResponse(found["response_status"], json.loads(found["response_body"]))
              if "response_status" in found else None)
    # A claim this old belongs to an invocation that died: no function runs longer (Timeout in
    # template.yaml is under the default), so another request may take the key over.
    abandoned = time.time() * 1000 - found["claimed_at_ms"] > config.current().claim_timeout * 1000
    if stored is None and found["fingerprint"] == fingerprint and abandoned:
        return _take_over(key, found["claim"], token)
    return idempotency.replay(Record(found["fingerprint"], stored), fingerprint)


def _take_over(key: str, old_token: str, token: str) -> str:
    try:
        with dynamodb.refusal_is_conflict():
            clients.dynamodb().update_item(
                TableName=_table(), Key=item({"idempotency_key": key}),
                UpdateExpression="SET claim = :new, claimed_at_ms = :now",
                ConditionExpression="claim = :old AND attribute_not_exists(response_status)",
                ExpressionAttributeValues=values(new=token, old=old_token,
                                                 now=int(time.time() * 1000)))
    except dynamodb.Conflict:
        raise IdempotencyKeyInUse(IN_USE) from None  # someone else took it over first
    return token


def complete(key: str, token: str, response: StoredResponse) -> dict:
    """Transaction item: store the response, if the claim is still ours."""
    return {"Update": {
        "TableName": _table(), "Key": item({"idempotency_key": key}),
        "UpdateExpression": "SET response_status = :status, response_body = :body",
        "ConditionExpression": "claim = :token",
        "ExpressionAttributeValues": values(status=response.status, token=token,
                                            body=json.dumps(response.body))}}


def still_ours(key: str, token: str) -> bool:
    found = _get(key)
    return found is not None and found["claim"] == token


def release(key: str, token: str) -> None:
    """Give the key back after a request ended without an outcome (a 422, a crash)."""
    try:
        with dynamodb.refusal_is_conflict():
            clients.dynamodb().delete_item(
                TableName=_table(), Key=item({"idempotency_key": key}),
                ConditionExpression="claim = :token AND attribute_not_exists(response_status)",
                ExpressionAttributeValues=values(token=token))
    except dynamodb.Conflict:
        pass  # it holds a response, or is no longer ours: either way, not ours to delete

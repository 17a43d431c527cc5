"""Idempotency-Key rules (IETF draft): what counts as the same request, and what is replayed.

Only outcomes are kept under a key: 201 (confirmed), 402 (declined) and
409 (out of stock). How and where a variant keeps them is its own business.
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from shared.errors import IdempotencyKeyInUse, IdempotencyKeyReused, OutOfStock, PaymentDeclined, ShopError
from shared.orders import CONFIRMED, OUT_OF_STOCK, Order
from shared.problems import problem


@dataclass(frozen=True)
class StoredResponse:
    """The answer to a placed order, as first sent and as replayed."""
    status: int
    body: dict


@dataclass(frozen=True)
class Record:
    """What a store holds under a key; no response yet means it is still being processed."""
    fingerprint: str
    response: StoredResponse | None


def fingerprint(body) -> str:
    """Equal JSON gives an equal fingerprint, whatever the member order or spacing."""
    canonical = json.dumps(_canonical(body), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _canonical(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 2.0 and 2 are the same JSON number
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    return value


def replay(record: Record, request_fingerprint: str) -> StoredResponse:
    """The stored response, if this request may have it."""
    if record.fingerprint != request_fingerprint:
        raise IdempotencyKeyReused("This Idempotency-Key was used with a different request body.")
    if record.response is None:
        raise IdempotencyKeyInUse("A request with this Idempotency-Key is still being processed.")
    return record.response


def placed(order: Order, short_skus: Sequence[str] = ()) -> StoredResponse:
    """The response to an order that reached an outcome."""
    if order.status == CONFIRMED:
        return StoredResponse(201, order.to_json())
    error: ShopError
    if order.rejection_reason == OUT_OF_STOCK:
        error = OutOfStock(f"Not enough stock for: {', '.join(short_skus)}.",
                           order_id=order.id, skus=list(short_skus))
    else:
        error = PaymentDeclined("The payment was declined.", order_id=order.id)
    return StoredResponse(*problem(error))

"""The place-order saga's log: how one starts, and the two ways it ends, each ONE local
transaction with the outbox messages and the Idempotency-Key's fate it calls for.

A saga ends once: `conclude` (an outcome) and `abandon` (undo what may have been done) first
delete its row, and only the transaction that deleted it goes on. So the request that ran the
saga and recovery (recovery.py) can both try to end it, in any order, and one outcome stands.
"""

from sqlalchemy import Connection

from microservices.orders import idempotency, outbox, repository as repo
from microservices.orders.outbox import Message
from shared.errors import IdempotencyKeyInUse, ServiceUnavailable
from shared.idempotency import StoredResponse
from shared.orders import Order


def start(conn: Connection, order: Order, payment_method: str, key: str | None,
          claim: str | None) -> None:
    """The pending order (never shown, its lines not priced yet) and its saga row, if the key
    is still this request's."""
    if key is not None and claim is not None and not idempotency.keys.holds(conn, key, claim):
        raise IdempotencyKeyInUse("This request's claim on its Idempotency-Key was taken over.")
    repo.add_order(conn, order, payment_method)
    repo.add_saga(conn, order.id, key, claim)


def priced(conn: Connection, order: Order) -> None:
    """The order's lines with their prices: written before the charge, so that recovery can
    confirm a charged order (a saga without them has charged nothing, and is undone)."""
    repo.add_lines(conn, order)


def conclude(conn: Connection, order: Order, response: StoredResponse, messages: list[Message],
             key: str | None, claim: str | None) -> list[outbox.Stored]:
    """Record the outcome, its messages and the key's response; the messages as stored."""
    if not repo.end_saga(conn, order.id):
        raise ServiceUnavailable(
            f"Order {order.id} took too long and was settled meanwhile; retry with the same "
            "Idempotency-Key to see how it ended.")
    repo.save_status(conn, order)
    stored = outbox.add(conn, messages)
    if key is not None and claim is not None:
        idempotency.keys.complete(conn, key, claim, response)
    return stored


def abandon(conn: Connection, order_id: str, undo: list[Message], key: str | None,
            claim: str | None) -> list[outbox.Stored]:
    """The order is failed, what may have been done is undone, and the key is free again."""
    if not repo.end_saga(conn, order_id):
        return []  # ended already, by the other of request and recovery
    repo.mark_failed(conn, order_id)
    if key is not None and claim is not None:
        idempotency.keys.give_back(conn, key, claim)
    return outbox.add(conn, undo)

"""The outbox: messages to other services, stored with the state change that calls for them.

A message is written in the same local transaction as the order's new state, so the
two cannot part: no confirmed order without its notification, no cancel without its
refund. Delivery is then at least once: the request tries the urgent ones at once, and
the relay (relay.py) retries whatever is left, with back-off, until it lands. Every
target endpoint is idempotent (by order id, by event id), so a second delivery is harmless.
"""

import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass

from opentelemetry import trace
from sqlalchemy import Connection, Engine, insert, select, update

from microservices.orders.db import outbox
from microservices.remote import Service
from shared import tracing
from shared.errors import ShopError

BACKOFF_BASE_SECONDS = 0.25
BACKOFF_CAP_SECONDS = 2.0  # short: a service that is back gets its events within seconds
BATCH = 100
URGENT_TARGETS = ("inventory", "payments")
log = logging.getLogger("shop")


@dataclass(frozen=True)
class Message:
    target: str
    path: str
    payload: dict


def add(conn: Connection, messages: list[Message]) -> list[int]:
    """Store the messages in the caller's transaction, with its trace; their sequence numbers."""
    trace_context = tracing.carrier_json()
    return [conn.execute(insert(outbox).values(
        target=m.target, path=m.path, payload=json.dumps(m.payload), attempts=0,
        next_attempt_at=0.0, trace_context=trace_context)).inserted_primary_key[0] for m in messages]


def deliver(engine: Engine, services: Mapping[str, Service], seqs: list[int] | None = None,
            targets: tuple[str, ...] | None = None) -> int:
    """Try each due message (or just `seqs`, to `targets`) once; how many were delivered."""
    with engine.begin() as conn:
        rows = _due(conn, seqs, targets)
    down: set[str] = set()
    delivered = 0
    for row in rows:
        if row.target not in down and _send(services[row.target], row):
            delivered += _mark(engine, row.seq, delivered_at=time.time())
            continue
        down.add(row.target)  # one timeout per target and round, not one per message
        _mark(engine, row.seq, attempts=row.attempts + 1,
              next_attempt_at=time.time() + backoff(row.attempts))
    return delivered


def deliver_now(engine: Engine, services: Mapping[str, Service], seqs: list[int]) -> None:
    """The request's own try at its stock and money messages, so that its answer
    ("stock given back", "refunded") is already true when the services are up. A
    notification is left to the relay: it is asynchronous, and need not hold up the answer."""
    if seqs:
        deliver(engine, services, seqs, targets=URGENT_TARGETS)


def backoff(attempts: int) -> float:
    return min(BACKOFF_BASE_SECONDS * 2 ** attempts, BACKOFF_CAP_SECONDS)


def _due(conn: Connection, seqs: list[int] | None, targets: tuple[str, ...] | None):
    query = select(outbox).where(outbox.c.delivered_at.is_(None)).order_by(outbox.c.seq)
    if targets is not None:
        query = query.where(outbox.c.target.in_(targets))
    if seqs is None:
        query = query.where(outbox.c.next_attempt_at <= time.time()).limit(BATCH)
    else:
        query = query.where(outbox.c.seq.in_(seqs))
    return conn.execute(query).all()


def _send(service: Service, row) -> bool:
    try:
        with _continued(row):
            service.call("POST", row.path, json=json.loads(row.payload))
        return True
    except ShopError as error:  # no answer, or an error answer: try again later
        log.warning("outbox message %s to %s %s not delivered (attempt %s): %s",
                    row.seq, row.target, row.path, row.attempts + 1, error.detail)
        return False


def _mark(engine: Engine, seq: int, **values) -> int:
    with engine.begin() as conn:
        conn.execute(update(outbox).where(outbox.c.seq == seq).values(**values))
    return 1


def _continued(row):
    """A span for the delivery, in the trace of the request that wrote the message."""
    return tracing.continued(
        json.loads(row.trace_context) if row.trace_context else None, f"outbox deliver {row.target}",
        kind=trace.SpanKind.PRODUCER, attributes={
            "messaging.system": "outbox", "messaging.destination.name": row.target,
            "messaging.message.id": str(row.seq)})

"""The outbox: messages to other services, stored with the state change that calls for them.

A message is written in the same local transaction as the order's new state, so the
two cannot part: no confirmed order without its notification, no cancel without its
refund. Delivery is then at least once: the request tries the urgent ones at once, and
the relay (relay.py) sends the others and retries whatever is left, with back-off, until
it lands. Every target endpoint is idempotent (by order id, by event id), so a second
delivery is harmless.
"""

import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass

from opentelemetry import trace
from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from microservices.orders.db import outbox
from microservices.remote import Service
from shared import database, tracing
from shared.errors import ShopError

BACKOFF_BASE_SECONDS = 0.25
BACKOFF_CAP_SECONDS = 2.0  # short: a service that is back gets its events within seconds
BATCH = 100
log = logging.getLogger("shop")

# Built once: building a statement costs more than SQLite takes to run it.
ADD = insert(outbox).returning(outbox.c.seq)
DUE = (select(outbox).where(outbox.c.delivered_at.is_(None), outbox.c.next_attempt_at <= bindparam("now"))
       .order_by(outbox.c.seq).limit(BATCH))
DELIVERED = (update(outbox).where(outbox.c.seq.in_(bindparam("seqs", expanding=True)))
             .values(delivered_at=bindparam("now")))
RETRY = (update(outbox).where(outbox.c.seq == bindparam("the_seq"))
         .values(attempts=bindparam("attempts"), next_attempt_at=bindparam("next_attempt_at")))


@dataclass(frozen=True)
class Message:
    target: str
    path: str
    payload: dict
    # Sent by the request itself before it answers, because the answer says it is done
    # ("stock given back", "refunded"). The others are the relay's, after the answer.
    urgent: bool = False


@dataclass(frozen=True)
class Stored:
    """A message as the outbox holds it, with the columns a delivery needs."""
    seq: int
    target: str
    path: str
    payload: str
    attempts: int = 0
    urgent: bool = False
    trace_context: str | None = None  # the writing request's trace, which the delivery continues


def add(conn: Connection, messages: list[Message]) -> list[Stored]:
    """Store the messages in the caller's transaction, with its trace."""
    trace_context, stored = tracing.carrier_json(), []
    for m in messages:
        payload = json.dumps(m.payload)
        seq = conn.execute(ADD, {"target": m.target, "path": m.path, "payload": payload,
                                 "attempts": 0, "next_attempt_at": 0.0,
                                 "trace_context": trace_context}).scalar_one()
        stored.append(Stored(seq, m.target, m.path, payload, urgent=m.urgent,
                             trace_context=trace_context))
    return stored


def deliver(engine: Engine, services: Mapping[str, Service]) -> int:
    """The relay's round: try each due message once; how many were delivered."""
    with database.reading(engine) as conn:
        rows = _due(conn)
    return _deliver(engine, services, rows)


def deliver_now(engine: Engine, services: Mapping[str, Service], stored: list[Stored]) -> None:
    """The request's own try at its urgent messages, so that its answer ("stock given
    back", "refunded") is already true when the services are up. The rest (a reservation
    made final, a notification) need not hold up the answer: the relay sends them."""
    _deliver(engine, services, [message for message in stored if message.urgent])


def backoff(attempts: int) -> float:
    return min(BACKOFF_BASE_SECONDS * 2 ** attempts, BACKOFF_CAP_SECONDS)


def _due(conn: Connection):
    return conn.execute(DUE, {"now": time.time()}).all()


def _deliver(engine: Engine, services: Mapping[str, Service], rows) -> int:
    """Send each message once; the outcomes are written in one transaction at the end (a
    death before it sends them again: every receiver is idempotent)."""
    down: set[str] = set()
    delivered, failed = [], []
    for row in rows:
        if row.target not in down and _send(services[row.target], row):
            delivered.append(row.seq)
            continue
        down.add(row.target)  # one timeout per target and round, not one per message
        failed.append(row)
    if rows:
        _mark(engine, delivered, failed)
    return len(delivered)


def _send(service: Service, row) -> bool:
    try:
        with _continued(row):
            service.call("POST", row.path, json=json.loads(row.payload))
        return True
    except ShopError as error:  # no answer, or an error answer: try again later
        log.warning("outbox message %s to %s %s not delivered (attempt %s): %s",
                    row.seq, row.target, row.path, row.attempts + 1, error.detail)
        return False


def _mark(engine: Engine, delivered: list[int], failed: list) -> None:
    now = time.time()
    with engine.begin() as conn:
        if delivered:
            conn.execute(DELIVERED, {"seqs": delivered, "now": now})
        for row in failed:
            conn.execute(RETRY, {"the_seq": row.seq, "attempts": row.attempts + 1,
                                 "next_attempt_at": now + backoff(row.attempts)})


def _continued(row):
    """A span for the delivery, in the trace of the request that wrote the message."""
    return tracing.continued(
        json.loads(row.trace_context) if row.trace_context else None, f"outbox deliver {row.target}",
        kind=trace.SpanKind.PRODUCER, attributes={
            "messaging.system": "outbox", "messaging.destination.name": row.target,
            "messaging.message.id": str(row.seq)})

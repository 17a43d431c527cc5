"""The payment provider's use cases: each is one transaction, idempotent by order id,
so that a charge retried after a lost answer never charges twice."""

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from microservices.payments import repository as repo
from microservices.payments.db import VOIDED
from shared import database, payments


def charge(engine: Engine, order_id: str, method: str, amount_cents: int) -> str:
    """The payment's status: a new charge's outcome, or the one of the first call."""
    try:
        with engine.begin() as conn:
            status = payments.charge(method)
            repo.add_payment(conn, order_id, method, amount_cents, status)
            return status
    except IntegrityError:  # the order's first call charged already: its status is the answer
        with database.reading(engine) as conn:
            return repo.recorded_status(conn, order_id)


def refund(engine: Engine, order_id: str) -> str:
    """Refund a captured payment; void an order id that has no payment yet."""
    try:
        with engine.begin() as conn:
            status = repo.status_of(conn, order_id, lock=True)
            if status is None:
                repo.add_payment(conn, order_id, "", 0, VOIDED)
                return VOIDED
            if status == payments.CAPTURED:
                repo.set_status(conn, order_id, payments.REFUNDED)
                return payments.REFUNDED
            return status
    except IntegrityError:  # a simultaneous charge wrote the row first
        return refund(engine, order_id)


def status_of(engine: Engine, order_id: str) -> str | None:
    with database.reading(engine) as conn:
        return repo.status_of(conn, order_id)

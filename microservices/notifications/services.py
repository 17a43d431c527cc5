"""The notifications service's use cases: store an event once, list an order's notifications."""

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from microservices.notifications import repository as repo
from shared import database


def record(engine: Engine, event: dict) -> bool:
    """Store the event; False when it was stored already (a redelivery), which is fine."""
    try:
        with engine.begin() as conn:
            repo.add(conn, event)
        return True
    except IntegrityError:
        return False


def list_notifications(engine: Engine, order_id: str) -> list[dict]:
    with database.reading(engine) as conn:
        return repo.for_order(conn, order_id)

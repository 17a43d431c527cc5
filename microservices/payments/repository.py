"""SQL for the payments service: plain functions over one open connection (transaction)."""

from sqlalchemy import Connection, insert, select, update

from microservices.payments.db import payments


def add_payment(conn: Connection, order_id: str, method: str, amount_cents: int,
                status: str) -> None:
    conn.execute(insert(payments).values(order_id=order_id, method=method,
                                         amount_cents=amount_cents, status=status))


def status_of(conn: Connection, order_id: str, lock: bool = False) -> str | None:
    query = select(payments.c.status).where(payments.c.order_id == order_id)
    return conn.execute(query.with_for_update() if lock else query).scalar()


def recorded_status(conn: Connection, order_id: str) -> str:
    """The status of a payment that exists (NoResultFound if there is none)."""
    return conn.execute(select(payments.c.status).where(payments.c.order_id == order_id)).scalar_one()


def set_status(conn: Connection, order_id: str, status: str) -> None:
    conn.execute(update(payments).where(payments.c.order_id == order_id).values(status=status))

"""SQL for the payments service: plain functions over one open connection (transaction)."""

from sqlalchemy import Connection, bindparam, insert, select, update

from microservices.payments.db import payments

# Built once: building a statement costs more than SQLite takes to run it.
ADD = insert(payments)
STATUS = select(payments.c.status).where(payments.c.order_id == bindparam("order_id"))
STATUS_LOCKED = STATUS.with_for_update()
SET_STATUS = (update(payments).where(payments.c.order_id == bindparam("the_order"))
              .values(status=bindparam("status")))


def add_payment(conn: Connection, order_id: str, method: str, amount_cents: int,
                status: str) -> None:
    conn.execute(ADD, {"order_id": order_id, "method": method, "amount_cents": amount_cents,
                       "status": status})


def status_of(conn: Connection, order_id: str, lock: bool = False) -> str | None:
    return conn.execute(STATUS_LOCKED if lock else STATUS, {"order_id": order_id}).scalar()


def recorded_status(conn: Connection, order_id: str) -> str:
    """The status of a payment that exists (NoResultFound if there is none)."""
    return conn.execute(STATUS, {"order_id": order_id}).scalar_one()


def set_status(conn: Connection, order_id: str, status: str) -> None:
    conn.execute(SET_STATUS, {"the_order": order_id, "status": status})

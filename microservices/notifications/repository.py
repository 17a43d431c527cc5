"""SQL for the notifications service: plain functions over one open connection (transaction)."""

from sqlalchemy import Connection, bindparam, insert, select

from microservices.notifications.db import notifications

# Built once: building a statement costs more than SQLite takes to run it.
ADD = insert(notifications)
FOR_ORDER = (select(notifications.c.order_id, notifications.c.kind, notifications.c.recipient,
                    notifications.c.created_at)
             .where(notifications.c.order_id == bindparam("order_id")).order_by(notifications.c.seq))


def add(conn: Connection, event: dict) -> None:
    conn.execute(ADD, {name: event[name] for name in
                       ("event_id", "order_id", "kind", "recipient", "created_at")})


def for_order(conn: Connection, order_id: str) -> list[dict]:
    return [dict(row._mapping) for row in conn.execute(FOR_ORDER, {"order_id": order_id})]

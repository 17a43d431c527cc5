"""SQL for the notifications service: plain functions over one open connection (transaction)."""

from sqlalchemy import Connection, insert, select

from microservices.notifications.db import notifications


def add(conn: Connection, event: dict) -> None:
    conn.execute(insert(notifications).values(
        event_id=event["event_id"], order_id=event["order_id"], kind=event["kind"],
        recipient=event["recipient"], created_at=event["created_at"]))


def for_order(conn: Connection, order_id: str) -> list[dict]:
    query = (select(notifications.c.order_id, notifications.c.kind, notifications.c.recipient,
                    notifications.c.created_at)
             .where(notifications.c.order_id == order_id).order_by(notifications.c.seq))
    return [dict(row._mapping) for row in conn.execute(query)]

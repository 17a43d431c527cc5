"""SQL for the orders service: plain functions over one open connection (transaction)."""

import time

from sqlalchemy import Connection, bindparam, delete, exists, insert, select, update

from microservices.orders.db import FAILED, order_lines, orders, sagas
from shared.orders import CANCELLED, CONFIRMED, PENDING, REJECTED, Order, OrderLine

SHOWN = (CONFIRMED, REJECTED, CANCELLED)  # pending and failed orders are nobody's business

# Built once: building a statement costs more than SQLite takes to run it.
ADD_ORDER, ADD_LINES, ADD_SAGA = insert(orders), insert(order_lines), insert(sagas)
END_SAGA = delete(sagas).where(sagas.c.order_id == bindparam("order_id"))
SAVE_STATUS = (update(orders).where(orders.c.id == bindparam("order_id"))
               .values(status=bindparam("status"), payment_status=bindparam("payment_status"),
                       rejection_reason=bindparam("rejection_reason")))
ORDER = select(orders).where(orders.c.id == bindparam("order_id"),
                             orders.c.status.in_(bindparam("statuses", expanding=True)))
ORDER_LOCKED = ORDER.with_for_update()
LINES = (select(order_lines).where(order_lines.c.order_id.in_(bindparam("ids", expanding=True)))
         .order_by(order_lines.c.order_id, order_lines.c.line_no))


def add_order(conn: Connection, order: Order, payment_method: str) -> None:
    """The order's row; its lines come with their prices (`add_lines`)."""
    conn.execute(ADD_ORDER, {
        "id": order.id, "customer_email": order.customer_email, "status": order.status,
        "payment_method": payment_method, "payment_status": order.payment_status,
        "rejection_reason": order.rejection_reason, "created_at": order.created_at})


def add_lines(conn: Connection, order: Order) -> None:
    conn.execute(ADD_LINES, [
        {"order_id": order.id, "line_no": n, "sku": line.sku, "quantity": line.quantity,
         "unit_price_cents": line.unit_price_cents}
        for n, line in enumerate(order.lines)])


def add_saga(conn: Connection, order_id: str, key: str | None, claim: str | None) -> None:
    conn.execute(ADD_SAGA, {"order_id": order_id, "idempotency_key": key, "claim": claim,
                            "started_at": time.time()})


def end_saga(conn: Connection, order_id: str) -> bool:
    """Whether this transaction ended the saga: only one of its request and recovery does."""
    return conn.execute(END_SAGA, {"order_id": order_id}).rowcount == 1


def saga_holds_key(conn: Connection, key: str) -> bool:
    return bool(conn.execute(select(exists().where(sagas.c.idempotency_key == key))).scalar())


def sagas_started_before(conn: Connection, moment: float) -> list:
    """(order_id, idempotency_key, claim) of each saga in doubt, oldest first."""
    query = select(sagas).where(sagas.c.started_at < moment).order_by(sagas.c.started_at)
    return list(conn.execute(query).all())


def save_status(conn: Connection, order: Order) -> None:
    conn.execute(SAVE_STATUS, {"order_id": order.id, "status": order.status,
                               "payment_status": order.payment_status,
                               "rejection_reason": order.rejection_reason})


def mark_failed(conn: Connection, order_id: str) -> None:
    conn.execute(update(orders).where(orders.c.id == order_id).values(status=FAILED))


def get_order(conn: Connection, order_id: str, lock: bool = False,
              statuses: tuple[str, ...] = SHOWN) -> Order | None:
    found = _with_lines(conn, conn.execute(ORDER_LOCKED if lock else ORDER,
                                           {"order_id": order_id, "statuses": list(statuses)}))
    return found[0] if found else None


def pending_order(conn: Connection, order_id: str) -> Order | None:
    return get_order(conn, order_id, statuses=(PENDING,))


def orders_for(conn: Connection, customer_email: str) -> list[Order]:
    """Newest first; `seq` orders the ones placed within the same millisecond."""
    query = (select(orders)
             .where(orders.c.customer_email == customer_email, orders.c.status.in_(SHOWN))
             .order_by(orders.c.created_at.desc(), orders.c.seq.desc()))
    return _with_lines(conn, conn.execute(query))


def _with_lines(conn: Connection, order_rows) -> list[Order]:
    rows = order_rows.all()
    lines: dict[str, list[OrderLine]] = {row.id: [] for row in rows}
    for line in conn.execute(LINES, {"ids": list(lines)}):
        lines[line.order_id].append(OrderLine(line.sku, line.quantity, line.unit_price_cents))
    return [Order(id=row.id, customer_email=row.customer_email, lines=tuple(lines[row.id]),
                  created_at=row.created_at, status=row.status,
                  payment_status=row.payment_status, rejection_reason=row.rejection_reason)
            for row in rows]

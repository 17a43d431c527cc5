"""SQL for the orders service: plain functions over one open connection (transaction).

The first two reach into `products`, the table the storefront keeps: taking stock in the
same transaction as the order is what the shared database buys, and what couples them.
"""

from sqlalchemy import Connection, insert, select, update

from services.db import notifications, order_lines, orders, payments, products
from shared.notifications import Notification
from shared.orders import Order, OrderLine


def lock_products(conn: Connection, skus: list[str]) -> dict[str, dict]:
    """The named products, locked until the transaction ends (in sku order, so no deadlocks)."""
    query = (select(products).where(products.c.sku.in_(skus))
             .order_by(products.c.sku).with_for_update())
    return {row.sku: dict(row._mapping) for row in conn.execute(query)}


def move_stock(conn: Connection, lines: tuple[OrderLine, ...], sign: int) -> None:
    """Take (sign -1) or give back (sign +1) the stock of an order's lines."""
    for line in sorted(lines, key=lambda line: line.sku):  # lock order as in lock_products
        conn.execute(update(products).where(products.c.sku == line.sku)
                     .values(stock=products.c.stock + sign * line.quantity))


def add_order(conn: Connection, order: Order, payment_method: str) -> None:
    conn.execute(insert(orders).values(
        id=order.id, customer_email=order.customer_email, status=order.status,
        payment_status=order.payment_status, rejection_reason=order.rejection_reason,
        created_at=order.created_at))
    conn.execute(insert(order_lines), [
        {"order_id": order.id, "line_no": n, "sku": line.sku, "quantity": line.quantity,
         "unit_price_cents": line.unit_price_cents}
        for n, line in enumerate(order.lines)])
    if order.payment_status is not None:
        conn.execute(insert(payments).values(
            order_id=order.id, method=payment_method, amount_cents=order.total_cents,
            status=order.payment_status))


def save_status(conn: Connection, order: Order) -> None:
    conn.execute(update(orders).where(orders.c.id == order.id).values(
        status=order.status, payment_status=order.payment_status))
    conn.execute(update(payments).where(payments.c.order_id == order.id)
                 .values(status=order.payment_status))


def get_order(conn: Connection, order_id: str, lock: bool = False) -> Order | None:
    query = select(orders).where(orders.c.id == order_id)
    found = _with_lines(conn, conn.execute(query.with_for_update() if lock else query))
    return found[0] if found else None


def orders_for(conn: Connection, customer_email: str) -> list[Order]:
    """Newest first; `seq` orders the ones placed within the same millisecond."""
    query = (select(orders).where(orders.c.customer_email == customer_email)
             .order_by(orders.c.created_at.desc(), orders.c.seq.desc()))
    return _with_lines(conn, conn.execute(query))


def _with_lines(conn: Connection, order_rows) -> list[Order]:
    rows = order_rows.all()
    lines: dict[str, list[OrderLine]] = {row.id: [] for row in rows}
    query = (select(order_lines).where(order_lines.c.order_id.in_(list(lines)))
             .order_by(order_lines.c.order_id, order_lines.c.line_no))
    for line in conn.execute(query):
        lines[line.order_id].append(OrderLine(line.sku, line.quantity, line.unit_price_cents))
    return [Order(id=row.id, customer_email=row.customer_email, lines=tuple(lines[row.id]),
                  created_at=row.created_at, status=row.status,
                  payment_status=row.payment_status, rejection_reason=row.rejection_reason)
            for row in rows]


def add_notification(conn: Connection, notification: Notification) -> None:
    conn.execute(insert(notifications).values(
        order_id=notification.order_id, kind=notification.kind,
        recipient=notification.recipient, created_at=notification.created_at))


def notifications_for(conn: Connection, order_id: str) -> list[dict]:
    query = (select(notifications.c.order_id, notifications.c.kind, notifications.c.recipient,
                    notifications.c.created_at)
             .where(notifications.c.order_id == order_id).order_by(notifications.c.id))
    return [dict(row._mapping) for row in conn.execute(query)]

"""SQL for the inventory: plain functions over one open connection (transaction)."""

from sqlalchemy import Connection, insert, select, update

from microservices.inventory.db import reservations, reserved_lines, stock


def levels(conn: Connection, skus: list[str] | None = None) -> dict[str, int]:
    query = select(stock)
    if skus is not None:
        query = query.where(stock.c.sku.in_(skus))
    return {row.sku: row.stock for row in conn.execute(query)}


def add_item(conn: Connection, sku: str, quantity: int) -> None:
    conn.execute(insert(stock).values(sku=sku, stock=quantity))


def add_stock(conn: Connection, sku: str, quantity: int) -> bool:
    result = conn.execute(update(stock).where(stock.c.sku == sku)
                          .values(stock=stock.c.stock + quantity))
    return result.rowcount == 1


def take(conn: Connection, sku: str, quantity: int) -> bool:
    """Take `quantity` if there is that much: the check and the take are one statement,
    so simultaneous orders cannot both see the last unit."""
    result = conn.execute(update(stock).where(stock.c.sku == sku, stock.c.stock >= quantity)
                          .values(stock=stock.c.stock - quantity))
    return result.rowcount == 1


def add_reservation(conn: Connection, order_id: str, state: str) -> None:
    conn.execute(insert(reservations).values(order_id=order_id, state=state))


def add_lines(conn: Connection, order_id: str, lines: list[tuple[str, int]]) -> None:
    conn.execute(insert(reserved_lines),
                 [{"order_id": order_id, "sku": sku, "quantity": q} for sku, q in lines])


def state_of(conn: Connection, order_id: str, lock: bool = False) -> str | None:
    query = select(reservations.c.state).where(reservations.c.order_id == order_id)
    return conn.execute(query.with_for_update() if lock else query).scalar()


def recorded_state(conn: Connection, order_id: str) -> str:
    """The state of a reservation that exists (NoResultFound if there is none)."""
    return conn.execute(select(reservations.c.state).where(reservations.c.order_id == order_id)).scalar_one()


def set_state(conn: Connection, order_id: str, state: str, only_from: str | None = None) -> None:
    query = update(reservations).where(reservations.c.order_id == order_id)
    if only_from is not None:
        query = query.where(reservations.c.state == only_from)
    conn.execute(query.values(state=state))


def give_back(conn: Connection, order_id: str) -> None:
    query = (select(reserved_lines).where(reserved_lines.c.order_id == order_id)
             .order_by(reserved_lines.c.sku))  # the lock order of every other writer
    for line in conn.execute(query).all():
        add_stock(conn, line.sku, line.quantity)

"""SQL for the inventory: plain functions over one open connection (transaction)."""

from sqlalchemy import Connection, bindparam, insert, select, update

from microservices.inventory.db import reservations, reserved_lines, stock

# Built once: building a statement costs more than SQLite takes to run it.
LEVELS = select(stock)
LEVELS_OF = select(stock).where(stock.c.sku.in_(bindparam("skus", expanding=True)))
ADD_STOCK = (update(stock).where(stock.c.sku == bindparam("the_sku"))
             .values(stock=stock.c.stock + bindparam("quantity")))
# The check and the take are one statement, so simultaneous orders cannot both see the last unit.
TAKE = (update(stock).where(stock.c.sku == bindparam("the_sku"), stock.c.stock >= bindparam("quantity"))
        .values(stock=stock.c.stock - bindparam("quantity")))
STATE = select(reservations.c.state).where(reservations.c.order_id == bindparam("order_id"))
SET_STATE = (update(reservations).where(reservations.c.order_id == bindparam("the_order"))
             .values(state=bindparam("state")))
STATE_LOCKED = STATE.with_for_update()
MOVE_STATE = SET_STATE.where(reservations.c.state == bindparam("from_state"))
ADD_RESERVATION, ADD_LINES = insert(reservations), insert(reserved_lines)
LINES = (select(reserved_lines).where(reserved_lines.c.order_id == bindparam("order_id"))
         .order_by(reserved_lines.c.sku))  # the lock order of every other writer


def levels(conn: Connection, skus: list[str] | None = None) -> dict[str, int]:
    rows = conn.execute(LEVELS) if skus is None else conn.execute(LEVELS_OF, {"skus": skus})
    return {row.sku: row.stock for row in rows}


def add_item(conn: Connection, sku: str, quantity: int) -> None:
    conn.execute(insert(stock), {"sku": sku, "stock": quantity})


def add_stock(conn: Connection, sku: str, quantity: int) -> bool:
    return conn.execute(ADD_STOCK, {"the_sku": sku, "quantity": quantity}).rowcount == 1


def take(conn: Connection, sku: str, quantity: int) -> bool:
    """Take `quantity` if there is that much."""
    return conn.execute(TAKE, {"the_sku": sku, "quantity": quantity}).rowcount == 1


def add_reservation(conn: Connection, order_id: str, state: str) -> None:
    conn.execute(ADD_RESERVATION, {"order_id": order_id, "state": state})


def add_lines(conn: Connection, order_id: str, lines: list[tuple[str, int]]) -> None:
    conn.execute(ADD_LINES, [{"order_id": order_id, "sku": sku, "quantity": q} for sku, q in lines])


def state_of(conn: Connection, order_id: str, lock: bool = False) -> str | None:
    return conn.execute(STATE_LOCKED if lock else STATE, {"order_id": order_id}).scalar()


def recorded_state(conn: Connection, order_id: str) -> str:
    """The state of a reservation that exists (NoResultFound if there is none)."""
    return conn.execute(STATE, {"order_id": order_id}).scalar_one()


def set_state(conn: Connection, order_id: str, state: str, only_from: str | None = None) -> None:
    if only_from is None:
        conn.execute(SET_STATE, {"the_order": order_id, "state": state})
    else:
        conn.execute(MOVE_STATE, {"the_order": order_id, "state": state, "from_state": only_from})


def give_back(conn: Connection, order_id: str) -> None:
    for line in conn.execute(LINES, {"order_id": order_id}).all():
        add_stock(conn, line.sku, line.quantity)

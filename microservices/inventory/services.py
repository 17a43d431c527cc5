"""The inventory's use cases. Each is one transaction; each reservation step is idempotent
by order id, so that a retried or late call never takes or gives back stock twice."""

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from microservices.inventory import repository as repo
from microservices.inventory.db import COMMITTED, RELEASED, RESERVED
from shared import database
from shared.errors import OutOfStock, ProductNotFound


def levels(engine: Engine, skus: list[str] | None = None) -> dict[str, int]:
    with database.reading(engine) as conn:
        return repo.levels(conn, skus)


def add_item(engine: Engine, sku: str, quantity: int) -> tuple[int, bool]:
    """A new SKU's starting stock: (stock, created). Putting it again changes nothing."""
    try:
        with engine.begin() as conn:
            repo.add_item(conn, sku, quantity)
        return quantity, True
    except IntegrityError:
        return levels(engine, [sku])[sku], False


def restock(engine: Engine, sku: str, quantity: int) -> int:
    with engine.begin() as conn:
        if not repo.add_stock(conn, sku, quantity):
            raise ProductNotFound(f"There is no product {sku}.")
        return repo.levels(conn, [sku])[sku]


def reserve(engine: Engine, order_id: str, lines: list[tuple[str, int]]) -> str:
    """Take the stock of every line or of none; the reservation's state when done."""
    try:
        with engine.begin() as conn:
            repo.add_reservation(conn, order_id, RESERVED)  # a second call fails here
            short = _take_stock(conn, lines)
            if short:
                # Raised inside the transaction: the lines already taken go back with it.
                raise OutOfStock(f"Not enough stock for: {', '.join(short)}.", skus=short)
            repo.add_lines(conn, order_id, lines)
            return RESERVED
    except IntegrityError:  # the order's first call reserved already: its state is the answer
        with database.reading(engine) as conn:
            return repo.recorded_state(conn, order_id)


def _take_stock(conn: Connection, lines: list[tuple[str, int]]) -> list[str]:
    """Take each line's stock where there is enough; the SKUs short of it, in the lines' order.
    Rows are taken in SKU order, so that two reservations never wait for each other."""
    short: set[str] = set()
    for sku, quantity in sorted(lines):
        if not repo.take(conn, sku, quantity):
            short.add(sku)
    return [sku for sku, _ in lines if sku in short]


def state_of(engine: Engine, order_id: str) -> str | None:
    with database.reading(engine) as conn:
        return repo.state_of(conn, order_id)


def commit(engine: Engine, order_id: str) -> str | None:
    """The order is confirmed: its reservation is final (a release still gives it back)."""
    with engine.begin() as conn:
        repo.set_state(conn, order_id, COMMITTED, only_from=RESERVED)
        return repo.state_of(conn, order_id)


def release(engine: Engine, order_id: str) -> str:
    """Give an order's stock back (a failed saga, a cancel); for an order never seen,
    leave a tombstone so that a reserve arriving late takes nothing."""
    try:
        with engine.begin() as conn:
            state = repo.state_of(conn, order_id, lock=True)
            if state is None:
                repo.add_reservation(conn, order_id, RELEASED)
            elif state != RELEASED:
                repo.give_back(conn, order_id)
                repo.set_state(conn, order_id, RELEASED)
    except IntegrityError:  # a simultaneous reserve or release wrote the row first
        return release(engine, order_id)
    return RELEASED

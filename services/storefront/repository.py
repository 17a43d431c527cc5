"""SQL for the storefront: the catalog in `products`, a table the orders service writes too."""

from sqlalchemy import Connection, insert, select, update

from services.db import products
from shared.orders import NewProduct


def list_products(conn: Connection) -> list[dict]:
    rows = conn.execute(select(products).order_by(products.c.sku))
    return [dict(row._mapping) for row in rows]


def get_product(conn: Connection, sku: str) -> dict | None:
    row = conn.execute(select(products).where(products.c.sku == sku)).first()
    return dict(row._mapping) if row else None


def add_product(conn: Connection, product: NewProduct) -> None:
    conn.execute(insert(products).values(vars(product)))


def add_stock(conn: Connection, sku: str, quantity: int) -> bool:
    result = conn.execute(update(products).where(products.c.sku == sku)
                          .values(stock=products.c.stock + quantity))
    return result.rowcount == 1

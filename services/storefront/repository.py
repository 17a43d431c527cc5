"""SQL for the storefront: the catalog in `products`, a table the orders service writes too."""

from sqlalchemy import Connection, bindparam, insert, select, update

from services.db import products
from shared.orders import NewProduct

# Built once: building a statement costs more than SQLite takes to run it.
PRODUCT = select(products).where(products.c.sku == bindparam("sku"))
ADD_STOCK = (update(products).where(products.c.sku == bindparam("the_sku"))
             .values(stock=products.c.stock + bindparam("quantity")))


def list_products(conn: Connection) -> list[dict]:
    rows = conn.execute(select(products).order_by(products.c.sku))
    return [dict(row._mapping) for row in rows]


def get_product(conn: Connection, sku: str) -> dict | None:
    row = conn.execute(PRODUCT, {"sku": sku}).first()
    return dict(row._mapping) if row else None


def add_product(conn: Connection, product: NewProduct) -> None:
    conn.execute(insert(products).values(vars(product)))


def add_stock(conn: Connection, sku: str, quantity: int) -> bool:
    return conn.execute(ADD_STOCK, {"the_sku": sku, "quantity": quantity}).rowcount == 1

"""SQL for the catalog: plain functions over one open connection (transaction)."""

from sqlalchemy import Connection, bindparam, delete, insert, select

from microservices.catalog.db import products
from shared.orders import NewProduct

# Built once: building a statement costs more than SQLite takes to run it.
PRODUCTS = select(products).order_by(products.c.sku)
PRODUCTS_OF = PRODUCTS.where(products.c.sku.in_(bindparam("skus", expanding=True)))
PRODUCT = select(products).where(products.c.sku == bindparam("sku"))


def list_products(conn: Connection, skus: list[str] | None = None) -> list[dict]:
    rows = conn.execute(PRODUCTS) if skus is None else conn.execute(PRODUCTS_OF, {"skus": skus})
    return [dict(row._mapping) for row in rows]


def get_product(conn: Connection, sku: str) -> dict | None:
    row = conn.execute(PRODUCT, {"sku": sku}).first()
    return dict(row._mapping) if row else None


def add_product(conn: Connection, product: NewProduct) -> None:
    conn.execute(insert(products), {"sku": product.sku, "name": product.name,
                                    "price_cents": product.price_cents})


def delete_product(conn: Connection, sku: str) -> None:
    conn.execute(delete(products).where(products.c.sku == sku))

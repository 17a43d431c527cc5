"""SQL for the catalog: plain functions over one open connection (transaction)."""

from sqlalchemy import Connection, delete, insert, select

from microservices.catalog.db import products
from shared.orders import NewProduct


def list_products(conn: Connection, skus: list[str] | None = None) -> list[dict]:
    query = select(products).order_by(products.c.sku)
    if skus is not None:
        query = query.where(products.c.sku.in_(skus))
    return [dict(row._mapping) for row in conn.execute(query)]


def get_product(conn: Connection, sku: str) -> dict | None:
    row = conn.execute(select(products).where(products.c.sku == sku)).first()
    return dict(row._mapping) if row else None


def add_product(conn: Connection, product: NewProduct) -> None:
    conn.execute(insert(products).values(sku=product.sku, name=product.name,
                                         price_cents=product.price_cents))


def delete_product(conn: Connection, sku: str) -> None:
    conn.execute(delete(products).where(products.c.sku == sku))

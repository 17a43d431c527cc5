"""The catalog's own database: names and prices. Stock is the inventory's business."""

from sqlalchemy import Column, Integer, MetaData, String, Table

metadata = MetaData()

# Code-point order for SKUs on PostgreSQL too, whatever the server's locale.
Sku = String(32).with_variant(String(32, collation="C"), "postgresql")

products = Table(
    "products", metadata,
    Column("sku", Sku, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("price_cents", Integer, nullable=False),
)

"""The inventory's own database: how many of each SKU, and what each order holds."""

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, MetaData, String, Table

metadata = MetaData()

Sku = String(32).with_variant(String(32, collation="C"), "postgresql")
RESERVED, COMMITTED, RELEASED = "reserved", "committed", "released"

stock = Table(
    "stock", metadata,
    Column("sku", Sku, primary_key=True),
    Column("stock", Integer, nullable=False),
    CheckConstraint("stock >= 0", name="stock_never_negative"),
)

# One row per order that ever asked: its state makes every step idempotent by order id.
# A release that comes before its reserve (the reserve's answer was lost) leaves a
# "released" row, so that the late reserve finds it and takes nothing.
reservations = Table(
    "reservations", metadata,
    Column("order_id", String(64), primary_key=True),
    Column("state", String(16), nullable=False),
)

reserved_lines = Table(
    "reserved_lines", metadata,
    Column("order_id", ForeignKey("reservations.order_id"), primary_key=True),
    Column("sku", Sku, ForeignKey("stock.sku"), primary_key=True),
    Column("quantity", Integer, nullable=False),
)

"""The ONE schema of the services variant: both services import this module.

That import is the coupling. The storefront writes `products`; the orders service
locks and updates the same `products` rows inside its own transactions, next to its
`orders`, `order_lines`, `payments`, `notifications` and `idempotency_keys`. A change
to a table here is a change to both services, and they are deployed with it in mind.
"""

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, MetaData, String, Table, UniqueConstraint

from shared.sql_idempotency import keys_table

metadata = MetaData()

# Code-point order for SKUs on PostgreSQL too, whatever the server's locale.
Sku = String(32).with_variant(String(32, collation="C"), "postgresql")

# Written by the storefront (catalog, restock) AND by orders (stock taken and given back).
products = Table(
    "products", metadata,
    Column("sku", Sku, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("price_cents", Integer, nullable=False),
    Column("stock", Integer, nullable=False),
    CheckConstraint("stock >= 0", name="stock_never_negative"),
)

# The rest belongs to the orders service; the storefront never touches it.
orders = Table(
    "orders", metadata,
    # `seq` is the placement order: it breaks ties between equal timestamps.
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False, unique=True),
    Column("customer_email", String(254), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("payment_status", String(16)),
    Column("rejection_reason", String(32)),
    Column("created_at", String(32), nullable=False),
)

order_lines = Table(
    "order_lines", metadata,
    Column("order_id", ForeignKey("orders.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", Sku, ForeignKey("products.sku"), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_cents", Integer, nullable=False),
)

payments = Table(
    "payments", metadata,
    Column("order_id", ForeignKey("orders.id"), primary_key=True),
    Column("method", String(68), nullable=False),
    Column("amount_cents", Integer, nullable=False),
    Column("status", String(16), nullable=False),
)

notifications = Table(
    "notifications", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", ForeignKey("orders.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("created_at", String(32), nullable=False),
    # The database itself refuses a second notification of a kind for an order.
    UniqueConstraint("order_id", "kind"),
)

idempotency_keys = keys_table(metadata)

"""The payments service's own database: one payment per order, keyed by the order id."""

from sqlalchemy import Column, Integer, MetaData, String, Table

metadata = MetaData()

# Besides shared.payments' captured, declined and refunded: a refund asked for a charge
# that never arrived (its answer was lost) voids the order id, so a late charge takes nothing.
VOIDED = "voided"

payments = Table(
    "payments", metadata,
    Column("order_id", String(64), primary_key=True),
    Column("method", String(68), nullable=False),
    Column("amount_cents", Integer, nullable=False),
    Column("status", String(16), nullable=False),
)

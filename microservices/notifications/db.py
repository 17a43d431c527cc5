"""The notifications service's own database: each event at most once."""

from sqlalchemy import Column, Integer, MetaData, String, Table

metadata = MetaData()

notifications = Table(
    "notifications", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    # Delivery is at least once; this unique id makes storing it exactly once.
    Column("event_id", String(128), nullable=False, unique=True),
    Column("order_id", String(64), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("created_at", String(32), nullable=False),
)

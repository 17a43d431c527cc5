"""The orders service's own database: orders, the outbox, and idempotency keys."""

from sqlalchemy import (
    Column,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    text,
)

from shared.sql_idempotency import keys_table

metadata = MetaData()

# Besides shared.orders' states: a saga that failed part way (a service did not answer)
# leaves its order "failed". Like "pending", it is never shown: the client got a 503.
FAILED = "failed"

orders = Table(
    "orders", metadata,
    # `seq` is the placement order: it breaks ties between equal timestamps.
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False, unique=True),
    Column("customer_email", String(254), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("payment_method", String(68), nullable=False),
    Column("payment_status", String(16)),
    Column("rejection_reason", String(32)),
    Column("created_at", String(32), nullable=False),
)

order_lines = Table(
    "order_lines", metadata,
    Column("order_id", ForeignKey("orders.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", String(32), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_cents", Integer, nullable=False),
)

# Messages to other services, written in the same transaction as the state change that
# calls for them; the relay (and the request itself, once) delivers them until they land.
outbox = Table(
    "outbox", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("target", String(32), nullable=False),  # inventory, payments or notifications
    Column("path", String(200), nullable=False),
    Column("payload", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", Float, nullable=False, default=0.0, index=True),
    Column("delivered_at", Float),
    # The trace of the request that wrote it (traceparent, as JSON): its delivery continues it.
    Column("trace_context", Text),
)
# The relay's poll and its order: the undelivered messages only, so a poll costs the same
# however many were delivered before (without it, every poll read every message ever sent).
UNDELIVERED = outbox.c.delivered_at.is_(None)
Index("outbox_undelivered", outbox.c.seq, sqlite_where=UNDELIVERED, postgresql_where=UNDELIVERED)

# The sagas under way: a row is written with its pending order and deleted in the transaction
# that records the outcome. A row that outlives its request (whose process died) is work in
# doubt, for recovery (recovery.py) to resolve; its key stays "in progress" until then.
sagas = Table(
    "sagas", metadata,
    Column("order_id", ForeignKey("orders.id"), primary_key=True),
    Column("idempotency_key", String(255), index=True),
    Column("claim", String(32)),
    Column("started_at", Float, nullable=False, index=True),
)

idempotency_keys = keys_table(metadata)


def add_new_columns(engine: Engine) -> None:
    """A database made before outbox.trace_context existed gets it (create_all adds tables, not
    columns); old rows have none. In a transaction, so that the orders service and the relay,
    starting together, do it once (SQLite: BEGIN IMMEDIATE; PostgreSQL: IF NOT EXISTS)."""
    with engine.begin() as conn:
        if "trace_context" not in {c["name"] for c in inspect(conn).get_columns("outbox")}:
            exists = " IF NOT EXISTS" if conn.dialect.name == "postgresql" else ""
            conn.execute(text(f"ALTER TABLE outbox ADD COLUMN{exists} trace_context TEXT"))

"""SQLAlchemy engines that behave the same on SQLite and PostgreSQL.

Every SQL-backed variant uses this; what tables it makes and who shares them
is the variant's own business.
"""

import contextlib
import fcntl
from pathlib import Path

from sqlalchemy import Engine, MetaData, create_engine, event, make_url, text

# Any fixed number: the key of the lock that makes schema creation one-at-a-time.
SCHEMA_LOCK_KEY = 7_401_125


def make_engine(url: str) -> Engine:
    """An engine for `url`: `sqlite:///path` or `postgresql://...` (driven by psycopg 3)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    return create_engine(parsed, pool_pre_ping=True)


def _sqlite_engine(url) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, say when transactions begin (see below).
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection):
        # Take the write lock up front, so two transactions that read and then
        # write wait for each other instead of failing with "database is locked".
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_schema(engine: Engine, metadata: MetaData) -> None:
    """Create missing tables; safe when several worker processes start at once."""
    with _one_process_at_a_time(engine):
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
            metadata.create_all(conn)


@contextlib.contextmanager
def _one_process_at_a_time(engine: Engine):
    """On SQLite, a file lock beside the database; PostgreSQL has its advisory lock instead."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    with open(f"{path}.lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        # WAL lets readers work while a writer commits. The switch is stored in the
        # file, and it fails at once if another connection is busy, hence the lock.
        with contextlib.closing(engine.raw_connection()) as raw:
            raw.driver_connection.execute("PRAGMA journal_mode=WAL")
        yield

"""SQLAlchemy engines that behave the same on SQLite and PostgreSQL.

Every SQL-backed variant uses this; what tables it makes and who shares them
is the variant's own business.
"""

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, create_engine, event, make_url, text

# Any fixed number: the key of the lock that makes schema creation one-at-a-time.
SCHEMA_LOCK_KEY = 7_401_125
# The execution option that marks a connection's transactions as reads (see `reading`).
READ_ONLY = "shop_read_only"


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
        if dbapi_connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            _sync_normal(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _begin(connection):
        # Straight to the driver: nothing listens for BEGIN, and SQLAlchemy's own way to
        # run a statement costs more than the statement.
        driver = connection.connection.driver_connection
        if connection.get_execution_options().get(READ_ONLY):
            # WAL gives a read its snapshot without any lock: it waits for no writer.
            driver.execute("BEGIN")
        else:
            # Take the write lock up front, so two transactions that read and then
            # write wait for each other instead of failing with "database is locked".
            driver.execute("BEGIN IMMEDIATE")

    return engine


def _sync_normal(dbapi_connection) -> None:
    # In WAL mode a commit is in the WAL file, in the OS's hands, before the answer: it
    # survives any process's death without an fsync. Only a power cut or a kernel crash can
    # lose the last commits (never corrupt the file); docs/benchmarks.md says why that is
    # accepted. Not in any other journal mode, where NORMAL can corrupt the file on a power cut.
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


@contextlib.contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A transaction that only reads, for `with database.reading(engine) as conn:`.

    On SQLite it takes no lock, so reads neither wait for writes nor hold them up. On
    PostgreSQL each statement commits on its own: no BEGIN and COMMIT round trips. Its
    statements may then see different moments, which no read here minds: an order and its
    lines are written in one transaction and its lines never change.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT")
        else:
            conn.execution_options(**{READ_ONLY: True})
        with conn.begin():
            yield conn


def create_schema(engine: Engine, metadata: MetaData) -> None:
    """Create missing tables; safe when several worker processes start at once."""
    with _one_process_at_a_time(engine), engine.begin() as conn:
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
            _switch_to_wal(raw.driver_connection)
        yield


def _switch_to_wal(dbapi_connection) -> None:
    if dbapi_connection.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal":
        _sync_normal(dbapi_connection)

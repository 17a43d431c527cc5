"""One database per service: a SQLite file each, or a PostgreSQL schema each.

On SQLite `DATABASE_URL` is unset and every service has its own file under
SHOP_DATA_DIR. On PostgreSQL the variant gets one `DATABASE_URL`, and each service
keeps its tables in a schema named after it (its `search_path`), so that no service
can see another's tables by accident; with Docker each service even gets a database.
"""

from sqlalchemy import Engine, MetaData, event, text

from shared import database


def open_database(url: str, schema: str, metadata: MetaData) -> Engine:
    engine = database.make_engine(url)
    if engine.dialect.name == "postgresql":
        _use_schema(engine, schema)
    database.create_schema(engine, metadata)
    return engine


def _use_schema(engine: Engine, schema: str) -> None:
    @event.listens_for(engine, "connect", insert=True)
    def _search_path(dbapi_connection, _record):
        # Outside any transaction, so that a rollback cannot undo it (SQLAlchemy's recipe).
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f'SET SESSION search_path TO "{schema}"')
        dbapi_connection.autocommit = autocommit

    with engine.begin() as conn:
        # The same lock as shared.database.create_schema: workers starting together wait.
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": database.SCHEMA_LOCK_KEY})
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))

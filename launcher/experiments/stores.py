"""The variants' own stores, read only: what HTTP does not show (hidden orders, payments, every
notification stored), as one Snapshot whatever the variant keeps it in."""

from collections import Counter
from dataclasses import dataclass, field

import boto3
from sqlalchemy import Engine, create_engine, text

from launcher.variants import LOCAL_AWS_ACCESS_KEY_ID


@dataclass
class Snapshot:
    orders: dict[str, dict]  # id -> {customer_email, status}, every order, shown or not
    payments: dict[str, str]  # order id -> payment status
    notifications: Counter  # (order id, kind) -> how many are stored
    held: list[str] = field(default_factory=list)  # orders whose stock is reserved, undecided


def read(variant: str, data_dir, database_url: str | None, port: int, aws_secret: str) -> Snapshot:
    if variant == "serverless":
        return _dynamodb(f"http://127.0.0.1:{port + 1}", aws_secret)
    if variant == "microservices":
        return _microservices(data_dir, database_url)
    name = {"monolith": "monolith", "services": "services"}[variant]
    with _engine(database_url, data_dir / f"{name}.db").connect() as conn:
        return Snapshot(
            {row.id: {"customer_email": row.customer_email, "status": row.status}
             for row in conn.execute(text("SELECT id, customer_email, status FROM orders"))},
            dict(conn.execute(text("SELECT order_id, status FROM payments")).all()),
            Counter(conn.execute(text("SELECT order_id, kind FROM notifications")).all()))


def _microservices(data_dir, database_url: str | None) -> Snapshot:
    def rows(service: str, query: str):
        table = f"{service}." if database_url else ""  # a schema per service on PostgreSQL
        engine = _engine(database_url, data_dir / f"microservices-{service}.db")
        with engine.connect() as conn:
            return conn.execute(text(query.replace("{s}.", table))).all()

    return Snapshot(
        {r.id: {"customer_email": r.customer_email, "status": r.status}
         for r in rows("orders", "SELECT id, customer_email, status FROM {s}.orders")},
        dict(rows("payments", "SELECT order_id, status FROM {s}.payments")),
        Counter(rows("notifications", "SELECT order_id, kind FROM {s}.notifications")),
        [r.order_id for r in rows("inventory", "SELECT order_id FROM {s}.reservations "
                                               "WHERE state = 'reserved'")])


_engines: dict[str, Engine] = {}


def _engine(database_url: str | None, sqlite_file):
    """One engine per store, read-only: a SQLite file opened with mode=ro, or a PostgreSQL
    session whose transactions are read-only."""
    key = database_url or str(sqlite_file)
    if key not in _engines:
        if database_url:
            url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
            _engines[key] = create_engine(url, connect_args={
                "options": "-c default_transaction_read_only=on"})
        else:
            _engines[key] = create_engine(f"sqlite:///file:{sqlite_file}?mode=ro&uri=true")
    return _engines[key]


def dispose() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


def _dynamodb(endpoint: str, secret: str) -> Snapshot:
    """The local AWS answers only its run's credentials (`shop up` was given this secret)."""
    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id=LOCAL_AWS_ACCESS_KEY_ID, aws_secret_access_key=secret)
    orders = _scan(client, "shop-orders")
    return Snapshot(
        {o["id"]["S"]: {"customer_email": o["customer_email"]["S"], "status": o["status"]["S"]}
         for o in orders},
        {o["id"]["S"]: o["payment_status"]["S"] for o in orders if "S" in o["payment_status"]},
        Counter((n["order_id"]["S"], n["kind"]["S"]) for n in _scan(client, "shop-notifications")))


def _scan(client, table: str) -> list[dict]:
    pages = client.get_paginator("scan").paginate(TableName=table, ConsistentRead=True)
    return [item for page in pages for item in page["Items"]]

"""The local AWS's data on disk: one SQLite file in SHOP_DATA_DIR, as DynamoDB Local keeps its
tables in SQLite.

Rows hold what moto holds: each table's definition, each item's current image (DynamoDB JSON),
each record of a table's stream, each queue's attributes and each message. The local AWS writes
the rows a call changed before it answers the call (journal.py), in one transaction, committed
with synchronous=FULL: an answer it gave is on disk, whatever happens to the process after.
`backend` names moto's backend, "<account>/<region>". Sequence numbers are longer than SQLite's
integers: they are kept as text of one width, which sorts as the numbers do.
"""

import json
import sqlite3
import threading
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS tables (backend TEXT, name TEXT, definition TEXT NOT NULL,
    next_sequence TEXT, PRIMARY KEY (backend, name));
CREATE TABLE IF NOT EXISTS items (backend TEXT, table_name TEXT, key TEXT, item TEXT NOT NULL,
    PRIMARY KEY (backend, table_name, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stream_records (backend TEXT, table_name TEXT, sequence TEXT,
    record TEXT NOT NULL, PRIMARY KEY (backend, table_name, sequence)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS queues (backend TEXT, name TEXT, attributes TEXT NOT NULL,
    PRIMARY KEY (backend, name));
CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, backend TEXT NOT NULL,
    queue TEXT NOT NULL, message TEXT NOT NULL);
"""


class Store:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        # One connection for all threads, used under self.lock; autocommit off: `with self.db`.
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")  # the commit is on disk before the answer
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()

    def write(self, statements: list[tuple[str, tuple]]) -> None:
        """All of them or none, committed to disk."""
        if not statements:
            return
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for sql, parameters in statements:
                    self.db.execute(sql, parameters)
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def rows(self, sql: str, *parameters) -> list[tuple]:
        with self.lock:
            return self.db.execute(sql, parameters).fetchall()

    def is_empty(self) -> bool:
        return not self.rows("SELECT 1 FROM tables UNION ALL SELECT 1 FROM queues LIMIT 1")

    def close(self) -> None:
        with self.lock:
            self.db.close()


def key_text(key: dict) -> str:
    """An item's key as one string, the same whatever the order of its attributes."""
    return json.dumps(key, sort_keys=True)


def put_item(backend: str, table: str, key: dict, item: dict | None) -> tuple[str, tuple]:
    if item is None:
        return ("DELETE FROM items WHERE backend = ? AND table_name = ? AND key = ?",
                (backend, table, key_text(key)))
    return ("INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?)",
            (backend, table, key_text(key), json.dumps(item)))


def put_records(backend: str, table: str, records: list[tuple[int, dict]], first_kept: int,
                next_sequence: int) -> list[tuple[str, tuple]]:
    """New stream records; the ones before first_kept were let go (streams.py)."""
    return [("INSERT OR REPLACE INTO stream_records VALUES (?, ?, ?, ?)",
             (backend, table, sequence_text(sequence), json.dumps(record, default=str)))
            for sequence, record in records] + [
        ("DELETE FROM stream_records WHERE backend = ? AND table_name = ? AND sequence < ?",
         (backend, table, sequence_text(first_kept))),
        ("UPDATE tables SET next_sequence = ? WHERE backend = ? AND name = ?",
         (sequence_text(next_sequence), backend, table))]


def sequence_text(number: int | None) -> str | None:
    return None if number is None else f"{number:040d}"


def put_table(backend: str, name: str, definition: dict, next_sequence: int | None,
              new_stream: bool) -> list[tuple[str, tuple]]:
    """A table's definition; a stream switched on anew starts without records."""
    upsert = ("INSERT INTO tables VALUES (?, ?, ?, ?) ON CONFLICT (backend, name) DO UPDATE "
              "SET definition = excluded.definition, next_sequence = excluded.next_sequence",
              (backend, name, json.dumps(definition), sequence_text(next_sequence)))
    return [upsert] + (_delete("stream_records", backend, name) if new_stream else [])


def drop_table(backend: str, name: str) -> list[tuple[str, tuple]]:
    return _delete("stream_records", backend, name) + _delete("items", backend, name) + [
        ("DELETE FROM tables WHERE backend = ? AND name = ?", (backend, name))]


def _delete(rows: str, backend: str, table: str) -> list[tuple[str, tuple]]:
    return [(f"DELETE FROM {rows} WHERE backend = ? AND table_name = ?", (backend, table))]


def put_queue(backend: str, name: str, attributes: dict) -> tuple[str, tuple]:
    # An update keeps the row's place: queues come back in the order they were made, a
    # dead-letter queue before the queue that names it.
    return ("INSERT INTO queues VALUES (?, ?, ?) ON CONFLICT (backend, name) DO UPDATE "
            "SET attributes = excluded.attributes", (backend, name, json.dumps(attributes)))


def drop_queue(backend: str, name: str) -> list[tuple[str, tuple]]:
    return [purge(backend, name), ("DELETE FROM queues WHERE backend = ? AND name = ?", (backend, name))]


def purge(backend: str, queue: str) -> tuple[str, tuple]:
    return "DELETE FROM messages WHERE backend = ? AND queue = ?", (backend, queue)


def put_message(backend: str, queue: str, message: dict) -> tuple[str, tuple]:
    """A message sent, or moved to another queue (a dead-letter queue)."""
    return ("INSERT OR REPLACE INTO messages VALUES (?, ?, ?, ?)",
            (message["id"], backend, queue, json.dumps(message)))


def drop_message(message_id: str) -> tuple[str, tuple]:
    return "DELETE FROM messages WHERE id = ?", (message_id,)

"""Idempotency keys in a SQL database: the key store of every SQL variant, on its own table.

The rules (what is replayed, what is refused) are shared/idempotency.py's; this is how a SQL
variant keeps them. A request claims its key in a short transaction of its own, so that a second
request with the same key sees "in progress" at once instead of waiting. The response is stored
in the same transaction as the outcome it describes.

A claim whose request died (its process was killed) holds no response. Once it is older than the
claim timeout, a retry of the same request may take it over, unless the variant says the dead
request left work in doubt (`in_doubt`): then the key stays "in progress" until that work is
resolved, so that a retry never starts a second order beside the first.
"""

import json
import secrets
import time
from collections.abc import Callable

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from shared import idempotency
from shared.errors import IdempotencyKeyInUse
from shared.idempotency import Record, StoredResponse

IN_USE = "A request with this Idempotency-Key is still being processed."


def keys_table(metadata: MetaData) -> Table:
    return Table(
        "idempotency_keys", metadata,
        Column("idempotency_key", String(255), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        Column("claim", String(32), nullable=False),
        Column("claimed_at", Float, nullable=False),
        Column("status", Integer),  # null while the request is being processed
        Column("body", Text),
    )


def nothing_in_doubt(conn: Connection, key: str) -> bool:
    return False


class KeyStore:
    def __init__(self, keys: Table, in_doubt: Callable[[Connection, str], bool] = nothing_in_doubt):
        self.keys, self.in_doubt = keys, in_doubt
        # Built once: building a statement costs more than SQLite takes to run it.
        same_key, same_claim = keys.c.idempotency_key == bindparam("key"), keys.c.claim == bindparam("token")
        self.find = select(keys).where(same_key).with_for_update()
        self.add = insert(keys)
        self.take_over = update(keys).where(same_key).values(claim=bindparam("claim"),
                                                             claimed_at=bindparam("claimed_at"))
        self.claim_of = select(keys.c.claim).where(same_key).with_for_update()
        self.store = update(keys).where(same_key, same_claim).values(status=bindparam("status"),
                                                                     body=bindparam("body"))
        self.drop = delete(keys).where(same_key, same_claim, keys.c.status.is_(None))

    def claim(self, engine: Engine, key: str, fingerprint: str, timeout: float) -> StoredResponse | str:
        """The stored response to replay, or a claim token: this request now owns the key.
        `timeout`: seconds after which an unfinished claim counts as abandoned."""
        try:
            with engine.begin() as conn:
                return self._claim(conn, key, fingerprint, timeout)
        except IntegrityError:
            # Another request inserted the same key between our look and our insert.
            raise IdempotencyKeyInUse(IN_USE) from None

    def _claim(self, conn: Connection, key: str, fingerprint: str, timeout: float) -> StoredResponse | str:
        row = conn.execute(self.find, {"key": key}).first()
        token, now = secrets.token_hex(16), time.time()
        if row is None:
            conn.execute(self.add, {"idempotency_key": key, "fingerprint": fingerprint,
                                    "claim": token, "claimed_at": now})
            return token
        stored = StoredResponse(row.status, json.loads(row.body)) if row.status is not None else None
        if (stored is None and row.fingerprint == fingerprint and now - row.claimed_at > timeout
                and not self.in_doubt(conn, key)):
            conn.execute(self.take_over, {"key": key, "claim": token, "claimed_at": now})
            return token
        return idempotency.replay(Record(row.fingerprint, stored), fingerprint)

    def holds(self, conn: Connection, key: str, token: str) -> bool:
        """Whether the claim is still this request's (locked until the caller's commit)."""
        return conn.execute(self.claim_of, {"key": key}).scalar() == token

    def complete(self, conn: Connection, key: str, token: str, response: StoredResponse) -> None:
        """Store the response, in the caller's transaction, if the claim is still ours."""
        result = conn.execute(self.store, {"key": key, "token": token, "status": response.status,
                                           "body": json.dumps(response.body)})
        if result.rowcount != 1:
            raise IdempotencyKeyInUse("This request's claim on its Idempotency-Key was taken over.")

    def release(self, engine: Engine, key: str, token: str) -> None:
        """Give the key back after a request ended without an outcome (a 422, a crash)."""
        with engine.begin() as conn:
            self.give_back(conn, key, token)

    def give_back(self, conn: Connection, key: str, token: str) -> None:
        """`release`, in the caller's transaction."""
        conn.execute(self.drop, {"key": key, "token": token})

"""Idempotency keys in the monolith's database: the SQL key store of every SQL variant
(shared/sql_idempotency.py), on this variant's table."""

from monolith.db import idempotency_keys
from shared.sql_idempotency import KeyStore

_store = KeyStore(idempotency_keys)
claim, complete, release = _store.claim, _store.complete, _store.release

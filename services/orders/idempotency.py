"""Idempotency keys in the shared database, kept by the orders service alone: the SQL key
store of every SQL variant (shared/sql_idempotency.py), on this variant's table."""

from services.db import idempotency_keys
from shared.sql_idempotency import KeyStore

_store = KeyStore(idempotency_keys)
claim, complete, release = _store.claim, _store.complete, _store.release

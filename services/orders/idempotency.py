"""Idempotency keys in the shared database, kept by the orders service alone: the SQL key
store of every SQL variant (shared/sql_idempotency.py), on this variant's table."""

from services.db import idempotency_keys
from shared.sql_idempotency import KeyStore

keys = KeyStore(idempotency_keys)

"""Idempotency keys in the monolith's database: the SQL key store of every SQL variant
(shared/sql_idempotency.py), on this variant's table."""

from monolith.db import idempotency_keys
from shared.sql_idempotency import KeyStore

keys = KeyStore(idempotency_keys)

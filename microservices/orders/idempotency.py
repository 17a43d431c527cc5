"""Idempotency keys in the orders service's own database (the gateway passes the header on):
the SQL key store of every SQL variant (shared/sql_idempotency.py), on this service's table."""

from microservices.orders.db import idempotency_keys
from shared.sql_idempotency import KeyStore

_store = KeyStore(idempotency_keys)
claim, complete, release = _store.claim, _store.complete, _store.release

"""Idempotency keys in the orders service's own database (the gateway passes the header on):
the SQL key store of every SQL variant (shared/sql_idempotency.py), on this service's table.
A key whose saga is in doubt is never taken over: its retry waits for recovery's outcome."""

from microservices.orders.db import idempotency_keys
from microservices.orders.repository import saga_holds_key
from shared.sql_idempotency import KeyStore

keys = KeyStore(idempotency_keys, in_doubt=saga_holds_key)

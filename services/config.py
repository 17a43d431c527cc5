"""The services' configuration, read from the environment here and nowhere else.

Both services read the same settings: they share the admin token and the database,
and the storefront also needs to know where the orders service listens.
"""

import os
from collections.abc import Mapping

from shared import settings

# The launcher's defaults: storefront on 8100, orders on the port above it.
DEFAULT_ORDERS_URL = "http://127.0.0.1:8101"
# A connect to a nearby process takes well under a millisecond: a second means "not there".
DEFAULT_CONNECT_TIMEOUT = 1.0
# Under the 10 s the contract suite waits: a client hears 503 before it gives up itself.
DEFAULT_READ_TIMEOUT = 5.0


def from_env(environ: Mapping[str, str] = os.environ) -> dict:
    return {
        "ADMIN_TOKEN": settings.admin_token(environ),
        "DATABASE_URL": settings.database_url(environ, "services"),
        "IDEMPOTENCY_CLAIM_TIMEOUT": settings.claim_timeout(environ),
        "ORDERS_URL": environ.get("ORDERS_URL") or DEFAULT_ORDERS_URL,
        "ORDERS_TIMEOUT": (
            settings.seconds(environ, "ORDERS_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT),
            settings.seconds(environ, "ORDERS_READ_TIMEOUT", DEFAULT_READ_TIMEOUT),
        ),
    }

"""Every microservice's configuration, read from the environment here and nowhere else.

Each service calls `from_env(name)` and keeps what it needs; the defaults are the
launcher's ports: gateway 8200, then catalog, inventory, orders, payments, notifications.
"""

import os
from collections.abc import Mapping

from shared import settings

PORTS = {"gateway": 8200, "catalog": 8201, "inventory": 8202, "orders": 8203,
         "payments": 8204, "notifications": 8205}
# A connect to a process on this machine takes well under a millisecond: a second means "not there".
DEFAULT_CONNECT_TIMEOUT = 1.0
# One step of the saga (a reserve, a charge) takes milliseconds; 3 s means "stuck".
DEFAULT_READ_TIMEOUT = 3.0
# The gateway waits for the whole saga (three calls, plus compensation), but answers before
# the 10 s a client such as the contract suite waits.
DEFAULT_ORDERS_READ_TIMEOUT = 8.0
# A saga takes three calls of at most a few seconds each: one still pending after 30 s lost its
# process, and recovery ends it (orders/recovery.py).
DEFAULT_RECOVERY_TIMEOUT = 30.0


def from_env(service: str, environ: Mapping[str, str] = os.environ) -> dict:
    config = {
        "SERVICE": service,
        "INTERNAL_TOKEN": internal_token(environ),
        "DATABASE_URL": settings.database_url(environ, f"microservices-{service}"),
        # On PostgreSQL every service keeps its tables in a schema of its own name.
        "DATABASE_SCHEMA": service,
        "TIMEOUT": (settings.seconds(environ, "SERVICE_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT),
                    settings.seconds(environ, "SERVICE_READ_TIMEOUT", DEFAULT_READ_TIMEOUT)),
        "ORDERS_TIMEOUT": (settings.seconds(environ, "SERVICE_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT),
                           settings.seconds(environ, "ORDERS_READ_TIMEOUT", DEFAULT_ORDERS_READ_TIMEOUT)),
        "IDEMPOTENCY_CLAIM_TIMEOUT": settings.claim_timeout(environ),
        "ORDERS_RECOVERY_TIMEOUT": settings.seconds(environ, "ORDERS_RECOVERY_TIMEOUT",
                                                    DEFAULT_RECOVERY_TIMEOUT),
    }
    for name, port in PORTS.items():
        config[f"{name.upper()}_URL"] = environ.get(f"{name.upper()}_URL") or f"http://127.0.0.1:{port}"
    # The relay touches this file every round, so that Docker's healthcheck can see it work.
    config["RELAY_HEARTBEAT_FILE"] = environ.get("RELAY_HEARTBEAT_FILE") or None
    if service == "gateway":
        config["ADMIN_TOKEN"] = settings.admin_token(environ)
    return config


def internal_token(environ: Mapping[str, str]) -> str:
    # No default, as for the admin token: a known token would open every internal service.
    token = environ.get("SHOP_INTERNAL_TOKEN", "")
    if not token.strip():
        raise settings.ConfigError(
            "SHOP_INTERNAL_TOKEN is not set, so the internal services could not tell the gateway "
            "from any other caller. Refusing to start. `shop up` sets one for you; otherwise "
            "export SHOP_INTERNAL_TOKEN=\"$(python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(24))')\".")
    return token

"""Settings for running microservices in-process: each its own database, no other service near."""

import pytest

from tests.integration.conftest import POSTGRES_URL

TOKEN = "internal-test"
INTERNAL = {"X-Internal-Token": TOKEN}


@pytest.fixture(params=["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"])
def settings_for(request, tmp_path):
    """service name -> its settings; on PostgreSQL all of them share one fresh database."""
    shared_url = None
    if request.param == "postgres":
        shared_url = request.getfixturevalue("postgres_databases").create()

    def settings(service: str, **overrides) -> dict:
        # Nothing listens on port 9: a service under test must not reach a real one.
        urls = {f"{name}_URL": "http://127.0.0.1:9" for name in
                ("GATEWAY", "CATALOG", "INVENTORY", "ORDERS", "PAYMENTS", "NOTIFICATIONS")}
        return urls | {
            "SERVICE": service, "INTERNAL_TOKEN": TOKEN, "ADMIN_TOKEN": "admin-test",
            "DATABASE_URL": shared_url or f"sqlite:///{tmp_path}/microservices-{service}.db",
            "DATABASE_SCHEMA": service, "TIMEOUT": (0.5, 1.0), "ORDERS_TIMEOUT": (0.5, 2.0),
            "IDEMPOTENCY_CLAIM_TIMEOUT": 60.0, "ORDERS_RECOVERY_TIMEOUT": 30.0,
        } | overrides
    return settings

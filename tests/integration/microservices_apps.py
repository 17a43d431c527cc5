"""Settings for running microservices in-process: each its own database, no other service near."""

TOKEN = "internal-test"
INTERNAL = {"X-Internal-Token": TOKEN}


def settings_maker(shared_url: str | None, tmp_path):
    """service name -> its settings; on PostgreSQL (`shared_url`) all of them share one database."""
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

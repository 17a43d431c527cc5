"""Starting the microservices: settings from the environment, no default tokens, one database
per service (a SQLite file each, or a PostgreSQL schema each), and the launcher's topology."""

import pytest
from sqlalchemy import inspect

from launcher import processes
from launcher.variants import VARIANTS, Process
from microservices import config
from microservices.catalog.app import create_app as create_catalog
from microservices.gateway.app import create_app as create_gateway
from microservices.inventory.app import create_app as create_inventory
from microservices.notifications.app import create_app as create_notifications
from microservices.orders.app import create_app as create_orders
from microservices.payments.app import create_app as create_payments
from shared.settings import ConfigError

FACTORIES = {"catalog": create_catalog, "inventory": create_inventory, "orders": create_orders,
             "payments": create_payments, "notifications": create_notifications}
TABLES = {"catalog": {"products"}, "inventory": {"stock", "reservations", "reserved_lines"},
          "orders": {"orders", "order_lines", "outbox", "sagas", "idempotency_keys"},
          "payments": {"payments"}, "notifications": {"notifications"}}


@pytest.fixture
def environ(tmp_path) -> dict:
    return {"SHOP_ADMIN_TOKEN": "t0ken", "SHOP_INTERNAL_TOKEN": "inner", "SHOP_DATA_DIR": str(tmp_path)}


@pytest.mark.parametrize("create_app", [create_gateway, *FACTORIES.values()])
def test_without_an_internal_token_no_service_starts(create_app, monkeypatch, tmp_path):
    monkeypatch.setenv("SHOP_ADMIN_TOKEN", "t0ken")
    monkeypatch.delenv("SHOP_INTERNAL_TOKEN", raising=False)
    monkeypatch.setenv("SHOP_DATA_DIR", str(tmp_path))
    with pytest.raises(ConfigError, match="SHOP_INTERNAL_TOKEN is not set"):
        create_app()


def test_without_an_admin_token_the_gateway_does_not_start(environ):
    with pytest.raises(ConfigError, match="SHOP_ADMIN_TOKEN is not set"):
        config.from_env("gateway", environ | {"SHOP_ADMIN_TOKEN": ""})


def test_defaults_match_the_launcher(environ, tmp_path):
    settings = config.from_env("orders", environ)
    launched = {p.name: p.port for p in VARIANTS["microservices"].processes(8200)}
    for name, port in config.PORTS.items():
        assert settings[f"{name.upper()}_URL"] == f"http://127.0.0.1:{port}"
        assert launched[name] == port
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path}/microservices-orders.db"
    assert (settings["TIMEOUT"], settings["ORDERS_TIMEOUT"]) == ((1.0, 3.0), (1.0, 8.0))


@pytest.mark.parametrize("value", ["soon", "0", "-1", "nan", "301"])
def test_a_timeout_that_is_not_a_sensible_number_stops_the_start(environ, value):
    with pytest.raises(ConfigError, match="SERVICE_READ_TIMEOUT"):
        config.from_env("catalog", environ | {"SERVICE_READ_TIMEOUT": value})


def test_each_service_has_its_own_database_and_sees_only_its_own_tables(settings_for):
    apps = {name: create(settings_for(name)) for name, create in FACTORIES.items()}
    try:
        for name, app in apps.items():
            engine = app.extensions["db"]
            with engine.connect() as conn:
                # The default schema is the service's own search_path on PostgreSQL.
                assert set(inspect(conn).get_table_names()) == TABLES[name], name
                if engine.dialect.name == "postgresql":
                    assert conn.exec_driver_sql("SHOW search_path").scalar() == name
    finally:
        for app in apps.values():
            app.extensions["db"].dispose()


def test_the_launcher_gives_every_process_the_same_fresh_internal_token(monkeypatch):
    monkeypatch.delenv("SHOP_INTERNAL_TOKEN", raising=False)
    first, second = VARIANTS["microservices"].processes(8200), VARIANTS["microservices"].processes(8200)
    tokens = {p.env["SHOP_INTERNAL_TOKEN"] for p in first}
    assert len(tokens) == 1 and len(tokens.pop()) >= 32
    assert first[0].env["SHOP_INTERNAL_TOKEN"] != second[0].env["SHOP_INTERNAL_TOKEN"]
    assert [p.name for p in first][-2:] == ["relay", "gateway"]  # the public one is awaited last


def test_a_process_without_a_port_has_no_health_check_and_counts_as_healthy():
    relay = Process("relay", ["python", "-m", "microservices.orders.relay"], None)
    assert relay.health_url is None
    assert processes._healthy(None, relay) is True

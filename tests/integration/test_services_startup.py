"""Starting the services: configuration from the environment, one database, no default token."""

import pytest

from services import config
from services.orders.app import create_app as create_orders
from services.storefront.app import create_app as create_storefront
from shared.settings import ConfigError


@pytest.fixture
def environ(tmp_path) -> dict:
    return {"SHOP_ADMIN_TOKEN": "t0ken", "SHOP_DATA_DIR": str(tmp_path)}


@pytest.mark.parametrize("create_app", [create_orders, create_storefront])
def test_without_an_admin_token_neither_service_starts(create_app, monkeypatch, tmp_path):
    monkeypatch.delenv("SHOP_ADMIN_TOKEN", raising=False)
    monkeypatch.setenv("SHOP_DATA_DIR", str(tmp_path))
    with pytest.raises(ConfigError, match="SHOP_ADMIN_TOKEN is not set"):
        create_app()


def test_defaults_match_the_launcher(environ, tmp_path):
    settings = config.from_env(environ)
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path}/services.db"
    assert settings["ORDERS_URL"] == "http://127.0.0.1:8101"
    assert settings["ORDERS_TIMEOUT"] == (1.0, 5.0)


def test_the_environment_overrides_them(environ):
    settings = config.from_env(environ | {
        "DATABASE_URL": "postgresql://db/shop", "ORDERS_URL": "http://127.0.0.1:9101",
        "ORDERS_CONNECT_TIMEOUT": "0.5", "ORDERS_READ_TIMEOUT": "2"})
    assert settings["DATABASE_URL"] == "postgresql://db/shop"
    assert settings["ORDERS_URL"] == "http://127.0.0.1:9101"
    assert settings["ORDERS_TIMEOUT"] == (0.5, 2.0)


@pytest.mark.parametrize("value", ["soon", "0", "-1", "nan", "inf", "301"])
def test_a_timeout_that_is_not_a_sensible_number_stops_the_start(environ, value):
    with pytest.raises(ConfigError, match="ORDERS_READ_TIMEOUT"):
        config.from_env(environ | {"ORDERS_READ_TIMEOUT": value})


def test_both_services_open_the_same_database(monkeypatch, environ, tmp_path):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    apps = [create_storefront(), create_orders()]
    assert {str(app.extensions["db"].url) for app in apps} == {f"sqlite:///{tmp_path}/services.db"}
    for app in apps:
        app.extensions["db"].dispose()

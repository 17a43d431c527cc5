"""Starting the monolith: configuration from the environment, schema made once, refusal without a token."""

import subprocess
import sys

import pytest

from monolith.app import create_app
from shared.settings import ConfigError


def test_without_an_admin_token_the_app_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.delenv("SHOP_ADMIN_TOKEN", raising=False)
    monkeypatch.setenv("SHOP_DATA_DIR", str(tmp_path))
    with pytest.raises(ConfigError, match="SHOP_ADMIN_TOKEN is not set"):
        create_app()


def test_gunicorn_without_an_admin_token_exits_with_the_reason(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "SHOP_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "python:launcher.gunicorn_conf",
         "monolith.app:create_app()", "--bind", "127.0.0.1:0"],
        env=env, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode != 0
    assert "SHOP_ADMIN_TOKEN is not set" in result.stderr


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SHOP_ADMIN_TOKEN", "t0ken")
    monkeypatch.setenv("SHOP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path}/monolith.db"
    assert (tmp_path / "monolith.db").exists()


def test_the_schema_can_be_created_again_and_keeps_the_data(database_url):
    settings = {"DATABASE_URL": database_url, "ADMIN_TOKEN": "t"}
    first = create_app(settings)
    product = {"sku": "KEPT-1", "name": "Kept", "price_cents": 100, "stock": 3}
    assert first.test_client().post("/products", json=product,
                                     headers={"Authorization": "Bearer t"}).status_code == 201
    first.extensions["db"].dispose()
    again = create_app(settings)
    assert again.test_client().get("/products/KEPT-1").get_json() == product
    again.extensions["db"].dispose()

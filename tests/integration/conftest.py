"""Fixtures for the monolith in-process: database URL -> app -> test client."""

import os

import pytest

from monolith.app import create_app
from tests.contract.launch import PostgresDatabases

POSTGRES_URL = os.environ.get("SHOP_TEST_DATABASE_URL")
TOKEN = "integration-test-token"


@pytest.fixture(scope="session")
def postgres_databases():
    databases = PostgresDatabases(POSTGRES_URL)
    yield databases
    databases.drop_all()


@pytest.fixture(params=["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"])
def database_url(request, tmp_path):
    if request.param == "postgres":
        return request.getfixturevalue("postgres_databases").create()
    return f"sqlite:///{tmp_path}/monolith.db"


@pytest.fixture
def app(database_url):
    app = create_app({"DATABASE_URL": database_url, "ADMIN_TOKEN": TOKEN,
                      "IDEMPOTENCY_CLAIM_TIMEOUT": 60.0})
    yield app
    app.extensions["db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def admin():
    return {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def product(client, admin):
    """A product with 5 in stock at 300 cents."""
    body = {"sku": "MUG-1", "name": "Mug", "price_cents": 300, "stock": 5}
    assert client.post("/products", json=body, headers=admin).status_code == 201
    return body

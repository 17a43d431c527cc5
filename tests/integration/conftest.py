"""Fixtures of the integration tier, one chain per variant: database URL -> app(s) -> test client,
the microservices' settings and processes, and moto for the serverless handlers."""

import pytest

from monolith.app import create_app
from serverless.local import moto_patches
from services.orders.app import create_app as create_orders
from services.storefront.app import create_app as create_storefront
from tests.contract.launch import PostgresDatabases
from tests.integration import serverless_stack
from tests.integration.microservices_apps import settings_maker
from tests.integration.microservices_running import (
    ORDERS_READ_TIMEOUT,
    READ_TIMEOUT,
    RunningMicroservices,
)
from tests.integration.running import BACKENDS, POSTGRES_URL, database_env, launched
from tests.integration.serverless_support import mocked_aws

TOKEN = "integration-test-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="session")
def postgres_databases():
    databases = PostgresDatabases(POSTGRES_URL)
    yield databases
    databases.drop_all()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    if request.param == "postgres":
        return request.getfixturevalue("postgres_databases").create()
    return f"sqlite:///{tmp_path}/shop.db"


# The monolith, in-process.

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
    return dict(ADMIN)


@pytest.fixture
def product(client, admin):
    """A product with 5 in stock at 300 cents."""
    body = {"sku": "MUG-1", "name": "Mug", "price_cents": 300, "stock": 5}
    assert client.post("/products", json=body, headers=admin).status_code == 201
    return body


# The services, in-process: both apps on the same database, as in production.

@pytest.fixture
def services_settings(database_url):
    # Nothing listens on port 9: the in-process storefront must not reach a real orders service.
    return {"DATABASE_URL": database_url, "ADMIN_TOKEN": TOKEN,
            "ORDERS_URL": "http://127.0.0.1:9", "ORDERS_TIMEOUT": (1.0, 1.0),
            "IDEMPOTENCY_CLAIM_TIMEOUT": 60.0}


@pytest.fixture
def orders_app(services_settings):
    app = create_orders(services_settings)
    yield app
    app.extensions["db"].dispose()


@pytest.fixture
def orders(orders_app):
    return orders_app.test_client()


@pytest.fixture
def storefront(services_settings):
    app = create_storefront(services_settings)
    yield app.test_client()
    app.extensions["db"].dispose()


@pytest.fixture
def storefront_product(storefront):
    """A product with 5 in stock at 300 cents, made by the storefront, the catalog's owner."""
    body = {"sku": "MUG-1", "name": "Mug", "price_cents": 300, "stock": 5}
    assert storefront.post("/products", json=body, headers=ADMIN).status_code == 201
    return body


# The microservices: in-process with settings_for, or as real processes with running.

@pytest.fixture(params=BACKENDS)
def settings_for(request, tmp_path):
    """service name -> its settings; on PostgreSQL all of them share one fresh database."""
    shared_url = None
    if request.param == "postgres":
        shared_url = request.getfixturevalue("postgres_databases").create()
    return settings_maker(shared_url, tmp_path)


@pytest.fixture(params=BACKENDS)
def running(request, tmp_path, monkeypatch):
    env = database_env(request, tmp_path) | {"SERVICE_READ_TIMEOUT": str(READ_TIMEOUT),
                                             "ORDERS_READ_TIMEOUT": str(ORDERS_READ_TIMEOUT)}
    with launched("microservices", monkeypatch, env) as (supervisor, port, logs):
        yield RunningMicroservices(supervisor, port, logs, tmp_path, env["DATABASE_URL"])


# The serverless handlers, on moto in this process.

@pytest.fixture
def aws(monkeypatch):
    """moto in this process: fake credentials, a fixed region, the tables and queues created."""
    with mocked_aws(monkeypatch) as deployed:
        yield deployed


@pytest.fixture
def patched(request):
    """moto with the local AWS's patches, or (False) moto as it comes, for the test only."""
    if getattr(request, "param", True):
        moto_patches.install()
        yield
        return
    moto_patches.uninstall()
    yield
    moto_patches.install()


@pytest.fixture
def stack(aws):
    """The translated template deployed through moto's CloudFormation, next to the runner's own
    resources: (template, logical id -> physical id, function name -> configuration)."""
    return serverless_stack.deployed()

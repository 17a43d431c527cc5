"""The services share one database: a use case is still one transaction, and a failure part way
leaves nothing half done. Both apps run in-process on the same database, as in production."""

import pytest

from services.orders import repository
from services.orders.app import create_app as create_orders
from services.storefront.app import create_app as create_storefront
from tests.integration.conftest import POSTGRES_URL

TOKEN = "integration-test-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
ORDER = {"customer_email": "ada@example.com", "payment_method": "pm_card_visa",
         "items": [{"sku": "MUG-1", "quantity": 2}]}


@pytest.fixture(params=["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"])
def database_url(request, tmp_path):
    if request.param == "postgres":
        return request.getfixturevalue("postgres_databases").create()
    return f"sqlite:///{tmp_path}/services.db"


@pytest.fixture
def settings(database_url):
    # Nothing listens on port 9: the in-process storefront must not reach a real orders service.
    return {"DATABASE_URL": database_url, "ADMIN_TOKEN": TOKEN,
            "ORDERS_URL": "http://127.0.0.1:9", "ORDERS_TIMEOUT": (1.0, 1.0),
            "IDEMPOTENCY_CLAIM_TIMEOUT": 60.0}


@pytest.fixture
def orders_app(settings):
    app = create_orders(settings)
    yield app
    app.extensions["db"].dispose()


@pytest.fixture
def orders(orders_app):
    return orders_app.test_client()


@pytest.fixture
def storefront(settings):
    app = create_storefront(settings)
    yield app.test_client()
    app.extensions["db"].dispose()


@pytest.fixture
def product(storefront):
    """A product with 5 in stock at 300 cents, made by the storefront, the catalog's owner."""
    body = {"sku": "MUG-1", "name": "Mug", "price_cents": 300, "stock": 5}
    assert storefront.post("/products", json=body, headers=ADMIN).status_code == 201
    return body


def stock(storefront) -> int:
    return storefront.get("/products/MUG-1").get_json()["stock"]


def placed_orders(orders) -> list:
    return orders.get("/orders?customer_email=ada@example.com", headers=ADMIN).get_json()["items"]


def test_orders_takes_the_stock_that_the_storefront_shows(storefront, orders, product):
    assert orders.post("/orders", json=ORDER).status_code == 201
    assert stock(storefront) == 3  # one table, written by one service, read by the other


def test_restock_and_orders_meet_in_the_same_rows(storefront, orders, product):
    all_of_it = ORDER | {"items": [{"sku": "MUG-1", "quantity": 5}]}
    assert orders.post("/orders", json=all_of_it).status_code == 201
    restock = storefront.post("/products/MUG-1/restock", json={"quantity": 2}, headers=ADMIN)
    assert restock.status_code == 200 and restock.get_json()["stock"] == 2
    assert orders.post("/orders", json=ORDER).status_code == 201
    assert stock(storefront) == 0


@pytest.fixture
def broken_notifications(monkeypatch):
    """Make the last step of every use case fail, after stock and payment were handled."""
    def fail(*_args):
        raise RuntimeError("the notifications table is on fire")
    monkeypatch.setattr(repository, "add_notification", fail)


def test_a_failed_order_takes_no_stock_and_records_nothing(storefront, orders, product,
                                                          broken_notifications):
    response = orders.post("/orders", json=ORDER)
    assert response.status_code == 500
    assert response.get_json()["code"] == "internal_error"
    assert "on fire" not in response.get_data(as_text=True)  # no internals reach the client
    assert stock(storefront) == 5
    assert placed_orders(orders) == []


def test_a_failed_order_gives_its_idempotency_key_back(storefront, orders, product, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(repository, "add_notification", lambda *_: 1 / 0)
        failed = orders.post("/orders", json=ORDER, headers={"Idempotency-Key": "k-1"})
        assert failed.status_code == 500
    assert orders.post("/orders", json=ORDER, headers={"Idempotency-Key": "k-1"}).status_code == 201
    assert stock(storefront) == 3


def test_a_failed_cancel_changes_nothing(storefront, orders, product, monkeypatch):
    order_id = orders.post("/orders", json=ORDER).get_json()["id"]
    monkeypatch.setattr(repository, "add_notification", lambda *_: 1 / 0)
    assert orders.post(f"/orders/{order_id}/cancel").status_code == 500
    order = orders.get(f"/orders/{order_id}").get_json()
    assert (order["status"], order["payment_status"]) == ("confirmed", "captured")
    assert stock(storefront) == 3


def test_orders_checks_the_admin_token_itself(orders):
    # Behind the storefront's own check: another local process gets no orders without the token.
    response = orders.get("/orders?customer_email=ada@example.com")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"

"""The services share one database: a use case is still one transaction, and a failure part way
leaves nothing half done. Both apps run in-process on the same database, as in production."""

import pytest

from services.orders import repository

TOKEN = "integration-test-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
ORDER = {"customer_email": "ada@example.com", "payment_method": "pm_card_visa",
         "items": [{"sku": "MUG-1", "quantity": 2}]}


def stock(storefront) -> int:
    return storefront.get("/products/MUG-1").get_json()["stock"]


def placed_orders(orders) -> list:
    return orders.get("/orders?customer_email=ada@example.com", headers=ADMIN).get_json()["items"]


def test_orders_takes_the_stock_that_the_storefront_shows(storefront, orders, storefront_product):
    assert orders.post("/orders", json=ORDER).status_code == 201
    assert stock(storefront) == 3  # one table, written by one service, read by the other


def test_restock_and_orders_meet_in_the_same_rows(storefront, orders, storefront_product):
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


def test_a_failed_order_takes_no_stock_and_records_nothing(storefront, orders, storefront_product,
                                                          broken_notifications):
    response = orders.post("/orders", json=ORDER)
    assert response.status_code == 500
    assert response.get_json()["code"] == "internal_error"
    assert "on fire" not in response.get_data(as_text=True)  # no internals reach the client
    assert stock(storefront) == 5
    assert placed_orders(orders) == []


def test_a_failed_order_gives_its_idempotency_key_back(storefront, orders, storefront_product, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(repository, "add_notification", lambda *_: 1 / 0)
        failed = orders.post("/orders", json=ORDER, headers={"Idempotency-Key": "k-1"})
        assert failed.status_code == 500
    assert orders.post("/orders", json=ORDER, headers={"Idempotency-Key": "k-1"}).status_code == 201
    assert stock(storefront) == 3


def test_a_failed_cancel_changes_nothing(storefront, orders, storefront_product, monkeypatch):
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

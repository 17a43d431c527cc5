"""The monolith's promise: a failure part way through a use case leaves nothing half done."""

import pytest

from monolith import repository

ORDER = {"customer_email": "ada@example.com", "payment_method": "pm_card_visa",
         "items": [{"sku": "MUG-1", "quantity": 2}]}


@pytest.fixture
def broken_notifications(monkeypatch):
    """Make the last step of every use case fail, after stock and payment were handled."""
    def fail(*_args):
        raise RuntimeError("the notifications table is on fire")
    monkeypatch.setattr(repository, "add_notification", fail)


def stock(client) -> int:
    return client.get("/products/MUG-1").get_json()["stock"]


def orders(client, admin) -> list:
    return client.get("/orders?customer_email=ada@example.com", headers=admin).get_json()["items"]


def test_a_failed_order_takes_no_stock_and_records_nothing(client, admin, product, broken_notifications):
    response = client.post("/orders", json=ORDER)
    assert response.status_code == 500
    assert response.get_json()["code"] == "internal_error"
    assert "on fire" not in response.get_data(as_text=True)  # no internals reach the client
    assert stock(client) == 5
    assert orders(client, admin) == []


def test_a_failed_order_gives_its_idempotency_key_back(client, product, monkeypatch):
    def fail(*_args):
        raise RuntimeError("boom")
    with monkeypatch.context() as patch:
        patch.setattr(repository, "add_notification", fail)
        assert client.post("/orders", json=ORDER, headers={"Idempotency-Key": "k-1"}).status_code == 500
    assert client.post("/orders", json=ORDER, headers={"Idempotency-Key": "k-1"}).status_code == 201
    assert stock(client) == 3


def test_a_failed_cancel_changes_nothing(client, admin, product, monkeypatch):
    order_id = client.post("/orders", json=ORDER).get_json()["id"]
    monkeypatch.setattr(repository, "add_notification", lambda *_: 1 / 0)
    assert client.post(f"/orders/{order_id}/cancel").status_code == 500
    order = client.get(f"/orders/{order_id}").get_json()
    assert (order["status"], order["payment_status"]) == ("confirmed", "captured")
    assert stock(client) == 3

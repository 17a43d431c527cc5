"""The saga's steps, each service in-process on its own database: every step is idempotent by
order id, all lines or none, a late call after its undo takes nothing, an event is stored once."""

import pytest

from microservices.inventory.app import create_app as create_inventory
from microservices.notifications.app import create_app as create_notifications
from microservices.payments.app import create_app as create_payments
from tests.integration.microservices_apps import INTERNAL

EVENT = {"event_id": "o-1:order_confirmed", "order_id": "o-1", "kind": "order_confirmed",
         "recipient": "ada@example.com", "created_at": "2026-11-23T10:00:00.000Z"}


@pytest.fixture
def client(request, settings_for):
    create_app, service = request.param
    app = create_app(settings_for(service))
    yield app.test_client()
    app.extensions["db"].dispose()


def apps(*pairs):
    return pytest.mark.parametrize("client", pairs, indirect=True, ids=[s for _, s in pairs])


inventory = apps((create_inventory, "inventory"))
payments = apps((create_payments, "payments"))
notifications = apps((create_notifications, "notifications"))


def post(client, path, body=None):
    return client.post(path, json=body or {}, headers=INTERNAL)


def stock(client, sku="MUG-1") -> int:
    return client.get("/stock", query_string={"sku": sku}, headers=INTERNAL).get_json()["items"][sku]


def reserve(client, order_id, *lines):
    items = [{"sku": sku, "quantity": q} for sku, q in lines]
    return post(client, "/reservations", {"order_id": order_id, "items": items})


@inventory
def test_a_reservation_is_taken_once_and_given_back_once(client):
    assert client.put("/stock/MUG-1", json={"stock": 5}, headers=INTERNAL).status_code == 201
    for _ in range(2):
        assert reserve(client, "o-1", ("MUG-1", 2)).get_json()["state"] == "reserved"
    assert stock(client) == 3
    assert post(client, "/reservations/o-1/commit").get_json()["state"] == "committed"
    for _ in range(2):
        assert post(client, "/reservations/o-1/release").get_json()["state"] == "released"
    assert stock(client) == 5
    # Committing after the release (the relay delivers late) does not take it again.
    post(client, "/reservations/o-1/commit")
    assert stock(client) == 5


@inventory
def test_all_lines_or_none(client):
    client.put("/stock/MUG-1", json={"stock": 5}, headers=INTERNAL)
    client.put("/stock/CUP-1", json={"stock": 1}, headers=INTERNAL)
    response = reserve(client, "o-2", ("MUG-1", 2), ("CUP-1", 2))
    assert response.status_code == 409
    assert (response.get_json()["code"], response.get_json()["skus"]) == ("out_of_stock", ["CUP-1"])
    assert (stock(client, "MUG-1"), stock(client, "CUP-1")) == (5, 1)


@inventory
def test_a_reserve_that_arrives_after_its_release_takes_nothing(client):
    client.put("/stock/MUG-1", json={"stock": 5}, headers=INTERNAL)
    assert post(client, "/reservations/o-3/release").get_json()["state"] == "released"
    assert reserve(client, "o-3", ("MUG-1", 2)).get_json()["state"] == "released"
    assert stock(client) == 5


@inventory
def test_putting_a_new_skus_stock_twice_changes_nothing(client):
    assert client.put("/stock/MUG-1", json={"stock": 5}, headers=INTERNAL).status_code == 201
    again = client.put("/stock/MUG-1", json={"stock": 9}, headers=INTERNAL)
    assert (again.status_code, again.get_json()["stock"]) == (200, 5)


@payments
def test_a_charge_is_made_once_and_refunded_once(client):
    body = {"order_id": "o-1", "amount_cents": 600, "payment_method": "pm_card_visa"}
    assert [post(client, "/payments", body).get_json()["status"] for _ in range(2)] == ["captured"] * 2
    # A retry with other details (it cannot happen, but if) still answers the first outcome.
    assert post(client, "/payments", body | {"payment_method": "pm_card_chargeDeclined"}
                ).get_json()["status"] == "captured"
    assert [post(client, "/payments/o-1/refund").get_json()["status"] for _ in range(2)] == ["refunded"] * 2
    assert client.get("/payments/o-1", headers=INTERNAL).get_json()["status"] == "refunded"


@payments
def test_a_declined_charge_stays_declined_and_is_not_refunded(client):
    body = {"order_id": "o-2", "amount_cents": 600, "payment_method": "pm_card_chargeDeclined"}
    assert post(client, "/payments", body).get_json()["status"] == "declined"
    assert post(client, "/payments/o-2/refund").get_json()["status"] == "declined"


@payments
def test_a_charge_that_arrives_after_its_refund_charges_nothing(client):
    assert post(client, "/payments/o-3/refund").get_json()["status"] == "voided"
    body = {"order_id": "o-3", "amount_cents": 600, "payment_method": "pm_card_visa"}
    assert post(client, "/payments", body).get_json()["status"] == "voided"


@notifications
def test_an_event_delivered_twice_is_stored_once(client):
    assert post(client, "/events", EVENT).status_code == 201
    assert post(client, "/events", EVENT).status_code == 200
    listed = client.get("/notifications", query_string={"order_id": "o-1"}, headers=INTERNAL)
    assert listed.get_json()["items"] == [{k: EVENT[k] for k in
                                           ("order_id", "kind", "recipient", "created_at")}]


@apps((create_inventory, "inventory"), (create_payments, "payments"),
      (create_notifications, "notifications"))
def test_internal_services_refuse_calls_without_the_internal_token(client):
    for headers in ({}, {"X-Internal-Token": "wrong"}, {"Authorization": "Bearer internal-test"}):
        response = client.post("/events", json=EVENT, headers=headers)
        assert response.status_code == 401
        assert response.get_json()["code"] == "unauthorized"
    assert client.get("/health").status_code == 200  # open for the launcher and Docker


@pytest.mark.parametrize("client,path,body,fields", [
    ((create_inventory, "inventory"), "/reservations", {"order_id": "o-9"}, ["items"]),
    ((create_inventory, "inventory"), "/reservations",
     {"order_id": 7, "items": [{"sku": "MUG-1"}]}, ["order_id", "items[0].quantity"]),
    ((create_payments, "payments"), "/payments", {"order_id": "o-9", "amount_cents": "6"},
     ["payment_method", "amount_cents"]),
    ((create_notifications, "notifications"), "/events", EVENT | {"kind": "order_shipped"}, ["kind"]),
    ((create_notifications, "notifications"), "/events", [EVENT], ["body"]),
], indirect=["client"], ids=["reserve-no-items", "reserve-bad-lines", "charge", "event-kind", "event-list"])
def test_a_malformed_internal_call_is_a_400_naming_what_is_wrong(client, path, body, fields):
    response = client.post(path, json=body, headers=INTERNAL)
    assert (response.status_code, response.get_json()["code"]) == (400, "validation_error")
    assert [error["field"] for error in response.get_json()["errors"]] == fields


@inventory
def test_a_new_items_stock_must_be_a_count(client):
    response = client.put("/stock/MUG-1", json={"stock": -1}, headers=INTERNAL)
    assert (response.status_code, response.get_json()["errors"][0]["field"]) == (400, "stock")
    assert client.get("/stock", query_string={"sku": "MUG-1"}, headers=INTERNAL).get_json()["items"] == {}

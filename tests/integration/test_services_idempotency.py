"""Idempotency keys in the orders service: held by a request still running, or by one that died."""

import time

from sqlalchemy import insert, update

from services.db import idempotency_keys
from shared.idempotency import fingerprint
from tests.integration.test_services_transactions import ORDER, stock


def claim_left_behind(app, key: str, age_seconds: float) -> None:
    with app.extensions["db"].begin() as conn:
        conn.execute(insert(idempotency_keys).values(
            idempotency_key=key, fingerprint=fingerprint(ORDER), claim="someone-else",
            claimed_at=time.time() - age_seconds))


def test_a_key_being_processed_answers_409(orders_app, orders, storefront_product):
    claim_left_behind(orders_app, "k-busy", age_seconds=1)
    response = orders.post("/orders", json=ORDER, headers={"Idempotency-Key": "k-busy"})
    assert response.status_code == 409
    assert response.get_json()["code"] == "idempotency_key_in_use"


def test_a_claim_abandoned_by_a_dead_process_is_taken_over(orders_app, orders, storefront_product):
    claim_left_behind(orders_app, "k-dead", age_seconds=3600)
    response = orders.post("/orders", json=ORDER, headers={"Idempotency-Key": "k-dead"})
    assert response.status_code == 201


def test_a_claim_taken_over_mid_request_rolls_the_order_back(orders, storefront, storefront_product,
                                                             monkeypatch):
    from services.orders import repository

    def steal_the_claim(conn, *_args):
        conn.execute(update(idempotency_keys).values(claim="thief"))
    monkeypatch.setattr(repository, "add_notification", steal_the_claim)
    response = orders.post("/orders", json=ORDER, headers={"Idempotency-Key": "k-stolen"})
    assert response.status_code == 409
    assert stock(storefront) == 5

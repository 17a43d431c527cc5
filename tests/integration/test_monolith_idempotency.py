"""Idempotency keys held by a request that is still running, or by one that died."""

import time

from sqlalchemy import insert, update

from monolith.db import idempotency_keys
from shared.idempotency import fingerprint
from tests.integration.test_monolith_transactions import ORDER


def claim_left_behind(app, key: str, age_seconds: float) -> None:
    with app.extensions["db"].begin() as conn:
        conn.execute(insert(idempotency_keys).values(
            idempotency_key=key, fingerprint=fingerprint(ORDER), claim="someone-else",
            claimed_at=time.time() - age_seconds))


def test_a_key_being_processed_answers_409(app, client, product):
    claim_left_behind(app, "k-busy", age_seconds=1)
    response = client.post("/orders", json=ORDER, headers={"Idempotency-Key": "k-busy"})
    assert response.status_code == 409
    assert response.get_json()["code"] == "idempotency_key_in_use"


def test_a_claim_abandoned_by_a_dead_process_is_taken_over(app, client, product):
    claim_left_behind(app, "k-dead", age_seconds=3600)
    response = client.post("/orders", json=ORDER, headers={"Idempotency-Key": "k-dead"})
    assert response.status_code == 201


def test_a_claim_taken_over_mid_request_rolls_the_order_back(app, client, product, monkeypatch):
    from monolith import repository

    def steal_the_claim(conn, *_args):
        conn.execute(update(idempotency_keys).values(claim="thief"))
    monkeypatch.setattr(repository, "add_notification", steal_the_claim)
    response = client.post("/orders", json=ORDER, headers={"Idempotency-Key": "k-stolen"})
    assert response.status_code == 409
    assert client.get("/products/MUG-1").get_json()["stock"] == 5

"""Idempotency-Key rules and Problem Details in shared/."""

import pytest

from shared import errors, idempotency, problems
from shared.idempotency import Record, StoredResponse
from shared.orders import ItemRequest, Order, OrderRequest


def test_equal_json_has_an_equal_fingerprint():
    assert idempotency.fingerprint({"a": [1, 2.0], "b": "x"}) == \
        idempotency.fingerprint({"b": "x", "a": [1.0, 2]})
    assert idempotency.fingerprint({"a": 1}) != idempotency.fingerprint({"a": 1.5})


def test_replay_rules():
    done = Record("f1", StoredResponse(201, {"id": "o1"}))
    assert idempotency.replay(done, "f1") == StoredResponse(201, {"id": "o1"})
    with pytest.raises(errors.IdempotencyKeyReused):
        idempotency.replay(done, "f2")
    with pytest.raises(errors.IdempotencyKeyInUse):
        idempotency.replay(Record("f1", None), "f1")


def test_placed_orders_become_their_responses():
    order = Order.place(OrderRequest("a@b.co", (ItemRequest("A-1", 1),), "pm_x"), {"A-1": 5})
    assert idempotency.placed(order.confirm()).status == 201
    short = idempotency.placed(order.reject("out_of_stock"), ["A-1"])
    assert (short.status, short.body["code"], short.body["skus"]) == (409, "out_of_stock", ["A-1"])
    declined = idempotency.placed(order.reject("payment_declined", "declined"))
    assert (declined.status, declined.body["order_id"]) == (402, order.id)


def test_every_error_type_has_exactly_one_problem():
    error_types = {t for t in vars(errors).values()
                   if isinstance(t, type) and issubclass(t, errors.ShopError)}
    assert error_types - {errors.ShopError} == set(problems.PROBLEMS)
    codes = [code for _, code, _ in problems.PROBLEMS.values()]
    assert len(codes) == len(set(codes))


def test_a_problem_carries_its_extension_members():
    status, body = problems.problem(errors.UnknownProduct("Unknown: X-1.", skus=["X-1"]))
    assert status == body["status"] == 422
    assert body["code"] == "unknown_product" and body["skus"] == ["X-1"]
    assert {"type", "title", "detail"} <= set(body)

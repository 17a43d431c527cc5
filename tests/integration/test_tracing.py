"""One request, one trace, across every process the docs say it passes: each variant launched
by `shop up`, an order placed and cancelled with a chosen X-Request-Id, and its trace read from
the launcher's receiver, asynchronous part (relay, stream, queue) included."""

import uuid

import pytest

from tests.integration.tracing_support import Traced, assert_one_tree, describe, services

# The processes an order passes on its way, as the variants' docs describe them.
ORDER_PATH = {
    "monolith": {"monolith"},
    "services": {"services-storefront", "services-orders"},
    "microservices": {"microservices-gateway", "microservices-orders", "microservices-catalog",
                      "microservices-inventory", "microservices-payments",
                      "microservices-relay", "microservices-notifications"},
    "serverless": {"serverless-runner", "OrdersFunction", "PublisherFunction", "WorkerFunction"},
}
ENTRY = {"monolith": "monolith", "services": "services-storefront",
         "microservices": "microservices-gateway", "serverless": "serverless-runner"}
CANCEL_PATH = ORDER_PATH | {
    "microservices": ORDER_PATH["microservices"] - {"microservices-catalog"},
}


@pytest.fixture(scope="module", params=list(ORDER_PATH))
def traced(request, tmp_path_factory):
    shop = Traced(request.param, tmp_path_factory.mktemp(f"tracing-{request.param}"))
    yield request.param, shop
    shop.stop()


def _complete(variant: str, path: dict):
    def complete(spans: list[dict]) -> bool:
        ids = {span["span_id"] for span in spans}  # a parent ends, and is sent, after its children
        return (path[variant] <= services(spans) and _every_hop(variant, spans)
                and all(span["parent_id"] in ids for span in spans if span["parent_id"]))
    return complete


def _every_hop(variant: str, spans: list[dict]) -> bool:
    """The spans that show the architecture: SQL statements, and the serverless variant's
    DynamoDB and SQS calls and its stream's record reaching the publisher."""
    names = {span["name"] for span in spans}
    if variant == "serverless":
        return ({"DynamoDB.TransactWriteItems", "SQS.SendMessage"} <= names
                and any(span["attributes"].get("faas.trigger") == "http" for span in spans))
    return any(span["attributes"].get("db.statement") for span in spans)


def test_an_order_is_one_trace_through_every_process(traced):
    variant, shop = traced
    rid = f"order-{uuid.uuid4().hex[:12]}"
    shop.place_order(shop.new_product(), rid)

    spans = shop.trace_until(rid, _complete(variant, ORDER_PATH))

    root = assert_one_tree(spans, rid)
    assert root["service"] == ENTRY[variant]
    assert all(span["variant"] == variant for span in spans), describe(spans)
    assert not any("@" in str(span["attributes"]) for span in spans), "a parameter was recorded"
    waterfall = shop.shop_trace(rid).splitlines()
    # Late spans (a relay's next round) may still arrive: the waterfall shows those read before
    # it, and none that had not arrived after it.
    now = shop.spans(root["trace_id"])
    assert waterfall[0] == f"trace {root['trace_id']}"
    assert len(spans) + 3 <= len(waterfall) <= len(now) + 3, (waterfall, describe(now))
    assert {line.split()[0] for line in waterfall[2:-1]} == services(now)


def test_a_cancel_is_one_trace_through_every_process(traced):
    variant, shop = traced
    order = shop.place_order(shop.new_product(), f"order-{uuid.uuid4().hex[:12]}")
    rid = f"cancel-{uuid.uuid4().hex[:12]}"
    shop.cancel(order["id"], rid)

    spans = shop.trace_until(rid, _complete(variant, CANCEL_PATH))

    assert_one_tree(spans, rid)
    assert any(span["name"] == "POST /orders/<order_id>/cancel" or
               span["name"] == "POST /orders/{id}/cancel" for span in spans), describe(spans)

"""The serverless handlers' HTTP layer: request ids, 404/405, admin auth, bodies, unexpected errors,
AWS out of reach."""

import socket
import time

import pytest
from botocore.exceptions import ClientError

from serverless import services
from serverless.handlers import api, orders, products
from tests.integration.serverless_support import call, cold_start, http_event

JSON = {"Content-Type": "application/json"}


def test_health_echoes_a_valid_request_id_and_replaces_a_bad_one():
    answer = call(api, http_event("GET /health", headers={"X-Request-Id": "trace-1"}))
    assert (answer.status, answer.body) == (200, {"status": "ok", "variant": "serverless"})
    assert answer.headers["X-Request-Id"] == "trace-1"
    bad = call(api, http_event("GET /health", headers={"X-Request-Id": "has space"}))
    assert bad.headers["X-Request-Id"] not in ("", "has space")


@pytest.mark.parametrize("method, path, allowed", [
    ("DELETE", "/products", "GET, HEAD, POST"), ("GET", "/products/X1/restock", "POST"),
    ("PUT", "/orders/some-order-id/cancel", "POST"), ("POST", "/health", "GET, HEAD"),
    ("OPTIONS", "/orders", "GET, HEAD, POST")])
def test_a_known_path_with_another_method_is_405_with_allow(method, path, allowed):
    answer = call(api, http_event("$default", method=method, path=path))
    assert (answer.status, answer.body["code"]) == (405, "method_not_allowed")
    assert answer.headers["Allow"] == allowed
    assert answer.headers["Content-Type"] == "application/problem+json"


def test_head_is_answered_by_the_get_of_its_path():
    answer = call(api, http_event("$default", method="HEAD", path="/health"))
    assert (answer.status, answer.body) == (200, {"status": "ok", "variant": "serverless"})


@pytest.mark.parametrize("path", ["/nothing", "/products/X1/nothing", "/orders/a/b/cancel", "/openapi.json"])
def test_an_unknown_path_is_404(path):
    answer = call(api, http_event("$default", method="GET", path=path))
    assert (answer.status, answer.body["code"]) == (404, "not_found")


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "Bearer", "Basic abc"])
def test_admin_routes_need_the_token_before_anything_else(aws, authorization):
    headers = {"Content-Type": "text/plain"} | ({"Authorization": authorization} if authorization else {})
    event = http_event("POST /products", raw=b"x" * 70_000, headers=headers)
    answer = call(products, event)
    assert (answer.status, answer.body["code"]) == (401, "unauthorized")
    assert answer.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("raw, headers, code", [
    (b"{" + b" " * 65_536 + b"}", {"Content-Type": "text/plain"}, "payload_too_large"),
    (b'{"sku": "A1"}', {"Content-Type": "text/plain"}, "unsupported_media_type"),
    (b'{"sku": "A1"}', {}, "unsupported_media_type"),
    (b"{", JSON, "invalid_json"), (b"", JSON, "invalid_json"), (b'{"a": NaN}', JSON, "invalid_json"),
])
def test_bodies_are_checked_in_the_contracts_order(aws, raw, headers, code):
    answer = call(products, http_event("POST /products", raw=raw, headers=headers, admin=True))
    assert answer.body["code"] == code


def test_a_base64_body_is_decoded_and_bad_utf8_is_invalid_json(aws):
    body = b'{"sku": "B64-1", "name": "Sent as binary", "price_cents": 5}'
    answer = call(products, http_event("POST /products", raw=body, headers=JSON, admin=True, binary=True))
    assert answer.status == 201
    bad = http_event("POST /products", raw=b'{"name": "\xff"}', headers=JSON, admin=True, binary=True)
    assert call(products, bad).body["code"] == "invalid_json"


def test_a_body_of_exactly_64_kib_is_accepted(aws):
    body = b'{"sku": "BIG-1", "name": "Big", "price_cents": 5, "pad": ""}'
    padded = body[:-2] + b"x" * (64 * 1024 - len(body)) + body[-2:]
    assert call(products, http_event("POST /products", raw=padded, headers=JSON, admin=True)).status == 201


def test_an_unexpected_error_is_a_bare_500_with_the_request_id(aws, monkeypatch, caplog):
    def broken():
        raise RuntimeError("secret detail")
    monkeypatch.setattr(services, "list_products", broken)
    answer = call(products, http_event("GET /products", headers={"X-Request-Id": "trace-500"}))
    assert (answer.status, answer.body["code"]) == (500, "internal_error")
    assert "secret" not in str(answer.body) and answer.headers["X-Request-Id"] == "trace-500"
    assert "trace-500" in caplog.text and "secret detail" in caplog.text


def test_a_malformed_idempotency_key_is_a_validation_error(aws):
    body = {"customer_email": "a@b.cd", "items": [{"sku": "A1", "quantity": 1}],
            "payment_method": "pm_card_visa"}
    answer = call(orders, http_event("POST /orders", body=body, headers={"Idempotency-Key": "é"}))
    assert answer.body["errors"] == [{"field": "Idempotency-Key",
                                      "message": "must be 1 to 255 printable ASCII characters"}]


def test_aws_out_of_reach_is_a_prompt_503_not_a_500(aws, monkeypatch, caplog):
    with socket.socket() as closed:  # a port that nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    cold_start()
    started = time.monotonic()
    answer = call(products, http_event("GET /products", headers={"X-Request-Id": "trace-503"}))
    assert (answer.status, answer.body["code"]) == (503, "service_unavailable")
    assert answer.headers["X-Request-Id"] == "trace-503"
    assert time.monotonic() - started < 5  # connection refused, a few quick retries, an answer
    assert f"Could not connect to the endpoint URL: \"http://127.0.0.1:{port}/\"" in caplog.text


@pytest.mark.parametrize("code, status", [("ThrottlingException", 503),
                                          ("ProvisionedThroughputExceededException", 503),
                                          ("ValidationException", 500)])
def test_throttling_after_the_sdks_retries_is_a_503_other_refusals_a_500(aws, monkeypatch, code, status):
    def refused():
        raise ClientError({"Error": {"Code": code, "Message": "no"}}, "Scan")
    monkeypatch.setattr(services, "list_products", refused)
    assert call(products, http_event("GET /products")).status == status

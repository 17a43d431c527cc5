"""Bad input and the order it is checked in: 404, 405, 401, 413, 415, 400 invalid_json, 400 validation."""

import http.client
import json
from urllib.parse import urlsplit

import pytest

from .client import TIMEOUT, assert_problem, assert_status, assert_validation_error, unique_email, unique_sku

BODY_LIMIT = 64 * 1024
JSON = {"Content-Type": "application/json"}


def oversized_json(size: int = BODY_LIMIT + 1) -> bytes:
    """A JSON object of exactly `size` bytes (the padding member is ignored by the contract)."""
    skeleton = b'{"pad": ""}'
    return skeleton[:-2] + b"x" * (size - len(skeleton)) + skeleton[-2:]


def order_body(sku: str = "NO-SUCH-SKU") -> dict:
    return {"customer_email": unique_email(), "items": [{"sku": sku, "quantity": 1}],
            "payment_method": "pm_card_visa"}


@pytest.mark.parametrize("method, path", [
    ("GET", "/no-such-path"), ("POST", "/no-such-path"), ("DELETE", "/products/X1/nothing"),
    ("GET", "/index.html"), ("GET", "/orders/some-id/refund"), ("GET", "/products/%00"),
    ("GET", "/orders/a%00b"), ("POST", "/orders/%00/cancel"),
])
def test_unknown_path_is_404_not_found(shop, method, path):
    assert_problem(shop.request(method, path), 404, "not_found")


@pytest.mark.parametrize("method, path, allowed", [
    ("DELETE", "/products", {"GET", "POST"}),
    ("PUT", "/products/X1", {"GET"}),
    ("GET", "/products/X1/restock", {"POST"}),
    ("PATCH", "/orders", {"GET", "POST"}),
    ("DELETE", "/orders/some-order-id-0001", {"GET"}),
    ("GET", "/orders/some-order-id-0001/cancel", {"POST"}),
    ("POST", "/health", {"GET"}),
    ("POST", "/notifications", {"GET"}),
])
def test_wrong_method_is_405_with_allow(shop, method, path, allowed):
    # No admin token is sent: 405 comes before 401.
    resp = shop.request(method, path)
    assert_problem(resp, 405, "method_not_allowed")
    allow = {m.strip().upper() for m in resp.headers.get("Allow", "").split(",") if m.strip()}
    assert allowed <= allow and method not in allow, resp.headers.get("Allow")


@pytest.mark.parametrize("authorization",
                         [None, "Bearer wrong-token", "Basic YWRtaW46YWRtaW4=", "Bearer"])
def test_admin_endpoints_need_the_token(shop, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    calls = [("POST", "/products", {"sku": unique_sku(), "name": "n", "price_cents": 1}),
             ("POST", f"/products/{unique_sku()}/restock", {"quantity": 1}),
             ("GET", "/orders?customer_email=a@b.cd", None),
             ("GET", "/notifications?order_id=x", None)]
    for method, path, body in calls:
        resp = shop.request(method, path, json=body, headers=headers)
        assert_problem(resp, 401, "unauthorized")
        assert resp.headers.get("WWW-Authenticate", "").split(" ")[0].lower() == "bearer", path


def test_near_miss_tokens_are_refused(shop):
    token = shop.admin_token
    for near in (token + "x", token[:-1], token.upper() if token != token.upper() else token.lower()):
        resp = shop.get("/orders?customer_email=a@b.cd", headers={"Authorization": f"Bearer {near}"})
        assert_problem(resp, 401, "unauthorized")


def test_unauthorized_creates_nothing(shop):
    sku = unique_sku()
    resp = shop.post("/products", json={"sku": sku, "name": "n", "price_cents": 1})
    assert_problem(resp, 401, "unauthorized")
    assert_problem(shop.get(f"/products/{sku}"), 404, "product_not_found")


def test_401_comes_before_413_and_415(shop):
    resp = shop.post("/products", data=oversized_json(), headers={"Content-Type": "text/plain"})
    assert_problem(resp, 401, "unauthorized")


def test_body_over_64_kib_is_413(shop):
    assert_problem(shop.post("/orders", data=oversized_json(), headers=JSON), 413, "payload_too_large")
    resp = shop.post("/products", data=oversized_json(), headers=JSON, admin=True)
    assert_problem(resp, 413, "payload_too_large")


def test_body_of_exactly_64_kib_is_accepted(shop):
    body = json.dumps({"sku": unique_sku(), "name": "Exactly 64 KiB", "price_cents": 5, "pad": ""})
    padded = body[:-2] + "x" * (BODY_LIMIT - len(body)) + body[-2:]
    assert len(padded.encode()) == BODY_LIMIT
    assert_status(shop.post("/products", data=padded, headers=JSON, admin=True), 201)


def test_connection_stays_usable_after_413(shop):
    # Same session, so the same keep-alive connection when the server keeps it open:
    # an unread body would otherwise be parsed as the next request.
    for _ in range(2):
        big = oversized_json(BODY_LIMIT + 20_000)
        assert_problem(shop.post("/orders", data=big, headers=JSON), 413, "payload_too_large")
        assert_status(shop.get("/health"), 200)
        assert_problem(shop.post("/orders", json=[]), 400, "validation_error")


def test_413_keeps_the_very_same_connection_open(shop):
    # requests would silently reconnect, so use one explicit connection instead.
    url = urlsplit(shop.base_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=TIMEOUT)
    try:
        conn.request("POST", "/orders", body=oversized_json(BODY_LIMIT + 20_000), headers=JSON)
        first = conn.getresponse()
        assert (first.status, json.loads(first.read())["code"]) == (413, "payload_too_large")
        sock = conn.sock
        assert sock is not None, "the server closed the connection after 413"
        conn.request("GET", "/health")
        second = conn.getresponse()
        assert conn.sock is sock and second.status == 200 and json.loads(second.read())["status"] == "ok"
    finally:
        conn.close()


def test_413_comes_before_415(shop):
    resp = shop.post("/orders", data=oversized_json(), headers={"Content-Type": "text/plain"})
    assert_problem(resp, 413, "payload_too_large")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_body_that_is_not_json_typed_is_415(shop, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    # `data` as bytes: requests then sends no Content-Type of its own.
    resp = shop.post("/orders", data=json.dumps(order_body()).encode(), headers=headers)
    assert_problem(resp, 415, "unsupported_media_type")


def test_415_comes_before_invalid_json(shop):
    resp = shop.post("/orders", data=b"{", headers={"Content-Type": "text/plain"})
    assert_problem(resp, 415, "unsupported_media_type")


def test_json_with_charset_parameter_is_fine(shop):
    sku = unique_sku()
    body = json.dumps({"sku": sku, "name": "Charset", "price_cents": 7}).encode()
    headers = {"Content-Type": "application/json; charset=utf-8"}
    assert_status(shop.post("/products", data=body, headers=headers, admin=True), 201)


@pytest.mark.parametrize("raw", [b"{", b"", b"   ", b"not json", b'{"a": 1,}',
                                 b'{"quantity": NaN}', b'{"name": "\xff"}'])
def test_invalid_json_is_400_invalid_json(shop, make_product, raw):
    assert_problem(shop.post("/orders", data=raw, headers=JSON), 400, "invalid_json")
    sku = make_product(stock=3)["sku"]
    resp = shop.post(f"/products/{sku}/restock", data=raw, headers=JSON, admin=True)
    assert_problem(resp, 400, "invalid_json")
    assert shop.stock(sku) == 3


def test_missing_body_is_400_invalid_json(shop):
    assert_problem(shop.post("/orders"), 400, "invalid_json")
    assert_problem(shop.post("/products", admin=True), 400, "invalid_json")


@pytest.mark.parametrize("body", [[], [order_body()], "order", 42, None])
def test_json_that_is_not_an_object_is_validation_error_on_body(shop, body):
    resp = shop.post("/orders", data=json.dumps(body), headers=JSON)
    assert_validation_error(resp, "body")


def test_validation_error_names_the_field(shop):
    resp = shop.post("/orders", json=order_body() | {"customer_email": "not-an-email"})
    assert_validation_error(resp, "customer_email")
    resp = shop.post("/orders", json=order_body() | {"items": [{"sku": "A1", "quantity": 0}]})
    assert_validation_error(resp, "items[0].quantity")


# PostgreSQL's text cannot hold U+0000, so no variant stores or looks up a string with it.
@pytest.mark.parametrize("path, field", [("/orders", "customer_email"), ("/notifications", "order_id")])
def test_a_query_value_holding_nul_is_400(shop, path, field):
    resp = shop.get(path, params={field: "a\u0000b@example.com"}, admin=True)
    assert_validation_error(resp, field)

"""Health endpoint and X-Request-Id handling (the client hook checks every response has one)."""

from .client import assert_problem, assert_status, check_schema
from .schemas import OPENAPI_PATH

VARIANT_NAMES = {"monolith", "services", "microservices", "serverless"}


def test_health_names_the_variant(shop):
    body = assert_status(shop.get("/health"), 200)
    check_schema(body, "Health")
    assert body["status"] == "ok"
    if shop.variant:
        assert body["variant"] == shop.variant
    else:
        assert body["variant"] in VARIANT_NAMES


def test_the_root_points_the_way(shop):
    body = assert_status(shop.get("/"), 200)
    check_schema(body, "Index")
    assert shop.get(body["health"]).status_code == 200
    assert shop.get(body["products"]).status_code == 200


def test_the_contract_document_is_served_as_it_is_in_the_repository(shop):
    resp = shop.get("/openapi.yaml")
    assert (resp.status_code, resp.headers["Content-Type"].split(";")[0]) == (200, "application/yaml")
    assert resp.content == OPENAPI_PATH.read_bytes()


def test_valid_request_id_is_echoed(shop):
    for request_id in ("abc-123._XYZ", "a" * 128):
        resp = shop.get("/health", headers={"X-Request-Id": request_id})
        assert resp.headers["X-Request-Id"] == request_id


def test_invalid_request_id_is_replaced(shop):
    for request_id in ("a" * 129, "has space", "semi;colon", "ümlaut".encode().decode("latin-1")):
        resp = shop.get("/health", headers={"X-Request-Id": request_id})
        assert resp.headers["X-Request-Id"] not in ("", request_id), request_id


def test_fresh_request_ids_differ(shop):
    first = shop.get("/health").headers["X-Request-Id"]
    second = shop.get("/health").headers["X-Request-Id"]
    assert first != second


def test_errors_carry_request_id_too(shop):
    resp = shop.get("/no-such-path", headers={"X-Request-Id": "trace-404"})
    assert_problem(resp, 404, "not_found")
    assert resp.headers["X-Request-Id"] == "trace-404"

"""A small HTTP client for the shop and the assertions every contract test shares."""

import re
import time
import uuid
from urllib.parse import urljoin, urlsplit

import requests

from . import schemas

TIMEOUT = 10  # seconds; no call may hang the suite
NOTIFICATION_DEADLINE = 10  # the contract gives asynchronous variants this long

SKU_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
ORDER_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
PRODUCT_KEYS = {"sku", "name", "price_cents", "stock"}
ORDER_KEYS = {"id", "status", "customer_email", "items", "total_cents",
              "payment_status", "rejection_reason", "created_at"}
NOTIFICATION_KEYS = {"order_id", "kind", "recipient", "created_at"}
APPROVED_METHOD = "pm_card_visa"
DECLINED_METHODS = ("pm_card_chargeDeclined", "pm_card_chargeDeclinedInsufficientFunds")


def unique_sku(prefix: str = "T") -> str:
    """A SKU no other test uses, so tests never see each other's data."""
    sku = f"{prefix}-{uuid.uuid4().hex.upper()}"[:32]
    assert SKU_PATTERN.match(sku), sku
    return sku


def unique_email(local: str = "c") -> str:
    return f"{local}-{uuid.uuid4().hex[:16]}@example.com"


def check_schema(body, schema_name: str) -> None:
    """Validate `body` against `schema_name` of shared/openapi.yaml: the document is the contract too."""
    schemas.validate(body, schema_name)


def media_type(resp: requests.Response) -> str:
    return resp.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _require_request_id(resp: requests.Response, *args, **kwargs) -> None:
    # A response hook: every single response the suite sees is checked, errors included.
    assert resp.headers.get("X-Request-Id"), (
        f"{resp.request.method} {resp.request.url} -> {resp.status_code} has no X-Request-Id")


def describe(resp: requests.Response) -> str:
    """The request and response, for assertion messages that show what the server said."""
    req = resp.request
    body = req.body[:300] if req.body is not None else None
    return (f"\n  request:  {req.method} {req.url} body={body!r}"
            f"\n  response: {resp.status_code} {resp.headers.get('Content-Type')} {resp.text[:600]}")


def assert_status(resp: requests.Response, status: int) -> dict | list | None:
    """Asserts the status and, for a JSON answer, returns the parsed body."""
    assert resp.status_code == status, f"expected {status}{describe(resp)}"
    if status == 204:
        return None
    assert media_type(resp) == "application/json", f"expected application/json{describe(resp)}"
    return resp.json()


def assert_problem(resp: requests.Response, status: int, code: str) -> dict:
    """Asserts an RFC 9457 Problem Details answer with the contract's machine code."""
    assert resp.status_code == status, f"expected {status} {code}{describe(resp)}"
    assert media_type(resp) == "application/problem+json", f"not problem+json{describe(resp)}"
    body = resp.json()
    for member in ("type", "title", "status", "detail", "code"):
        assert member in body, f"problem lacks {member!r}{describe(resp)}"
    assert body["status"] == status, describe(resp)
    assert body["code"] == code, f"expected code {code}{describe(resp)}"
    assert isinstance(body["title"], str) and isinstance(body["detail"], str), describe(resp)
    check_schema(body, "Problem")
    return body


def error_fields(resp: requests.Response) -> list[str]:
    body = assert_problem(resp, 400, "validation_error")
    errors = body.get("errors")
    assert isinstance(errors, list) and errors, f"validation_error without errors{describe(resp)}"
    for error in errors:
        assert isinstance(error, dict), describe(resp)
        assert isinstance(error.get("field"), str) and isinstance(error.get("message"), str), describe(resp)
    return [error["field"] for error in errors]


def assert_validation_error(resp: requests.Response, field: str) -> None:
    assert field in error_fields(resp), f"expected an error for field {field!r}{describe(resp)}"


def assert_location(resp: requests.Response, path: str) -> None:
    # A relative reference is what the contract shows; an absolute one to the same place is equal.
    location = resp.headers.get("Location")
    assert location, f"no Location header{describe(resp)}"
    resolved = urlsplit(urljoin(resp.url, location))
    assert resolved.path == path and not resolved.query, f"Location {location!r} is not {path}"


def assert_product(product: dict) -> dict:
    assert set(product) == PRODUCT_KEYS, product
    check_schema(product, "Product")
    return product


def assert_order(order: dict) -> dict:
    assert set(order) == ORDER_KEYS, order
    assert ORDER_ID_PATTERN.match(order["id"]), order["id"]
    assert RFC3339_UTC.match(order["created_at"]), order["created_at"]
    assert order["status"] in ("confirmed", "rejected", "cancelled"), order
    assert order["payment_status"] in ("captured", "declined", "refunded", None), order
    assert order["rejection_reason"] in (None, "out_of_stock", "payment_declined"), order
    check_schema(order, "Order")
    return order


class ShopClient:
    """One target (variant and backend, or an external URL), spoken to only over HTTP."""

    def __init__(self, base_url: str, admin_token: str, variant: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.admin_token = admin_token
        self.variant = variant  # None for an external URL: any variant name is then fine
        self.http = requests.Session()
        self.http.hooks["response"].append(_require_request_id)

    def clone(self) -> "ShopClient":
        """A client with its own connections, for use from another thread."""
        return ShopClient(self.base_url, self.admin_token, self.variant)

    def close(self) -> None:
        self.http.close()

    # -- raw HTTP ------------------------------------------------------------
    def request(self, method: str, path: str, *, admin: bool = False, headers=None, **kwargs):
        headers = dict(headers or {})
        if admin:
            headers["Authorization"] = f"Bearer {self.admin_token}"
        kwargs.setdefault("timeout", TIMEOUT)
        return self.http.request(method, self.base_url + path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.request("POST", path, **kwargs)

    # -- products ------------------------------------------------------------
    def create_product(self, sku: str, price_cents=100, stock=None, name="Contract test product"):
        body = {"sku": sku, "name": name, "price_cents": price_cents}
        if stock is not None:
            body["stock"] = stock
        return self.post("/products", json=body, admin=True)

    def product(self, sku: str) -> dict:
        return assert_product(assert_status(self.get(f"/products/{sku}"), 200))

    def stock(self, sku: str) -> int:
        return self.product(sku)["stock"]

    def restock(self, sku: str, quantity, admin: bool = True):
        return self.post(f"/products/{sku}/restock", json={"quantity": quantity}, admin=admin)

    # -- orders --------------------------------------------------------------
    def place_order(self, items, email=None, payment_method=APPROVED_METHOD, key=None):
        """`items` is a list of (sku, quantity) pairs."""
        body = {"customer_email": email or unique_email(),
                "items": [{"sku": sku, "quantity": qty} for sku, qty in items],
                "payment_method": payment_method}
        headers = {"Idempotency-Key": key} if key is not None else {}
        return self.post("/orders", json=body, headers=headers)

    def order(self, order_id: str) -> dict:
        return assert_order(assert_status(self.get(f"/orders/{order_id}"), 200))

    def cancel(self, order_id: str):
        return self.post(f"/orders/{order_id}/cancel")

    def orders_of(self, email: str) -> list[dict]:
        resp = self.get("/orders", params={"customer_email": email}, admin=True)
        body = assert_status(resp, 200)
        check_schema(body, "OrderList")
        return [assert_order(order) for order in body["items"]]

    # -- notifications -------------------------------------------------------
    def notifications(self, order_id: str) -> list[dict]:
        resp = self.get("/notifications", params={"order_id": order_id}, admin=True)
        body = assert_status(resp, 200)
        check_schema(body, "NotificationList")
        for item in body["items"]:
            assert set(item) == NOTIFICATION_KEYS, item
            assert RFC3339_UTC.match(item["created_at"]), item
        return body["items"]

    def wait_for_notifications(self, order_id: str, count: int) -> list[dict]:
        """Polls until `count` notifications exist (asynchronous variants may lag), then returns them."""
        deadline = time.monotonic() + NOTIFICATION_DEADLINE
        while True:
            items = self.notifications(order_id)
            if len(items) >= count or time.monotonic() > deadline:
                return items
            time.sleep(0.1)

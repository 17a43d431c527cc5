"""Turns parsed JSON into domain requests, or raises ValidationFailed listing every broken rule."""

import re
from typing import Any

from shared import bodies
from shared.errors import ValidationFailed
from shared.orders import ItemRequest, NewProduct, OrderRequest

# White space as the contract's patterns (ECMA-262 regular expressions) mean `\s`: Python's `\s`
# and str.strip() also take U+001C-U+001F and U+0085, which the contract counts as ordinary text.
WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
SKU = re.compile(r"[A-Z0-9][A-Z0-9-]{1,31}")
# U+0000 is in no string the shop stores or looks up: PostgreSQL's text cannot hold it.
EMAIL = re.compile(f"[^@\\x00{WHITESPACE}]+@[^@\\x00{WHITESPACE}]+\\.[^@\\x00{WHITESPACE}]+")
SURROUNDING_WHITESPACE = re.compile(f"\\A[{WHITESPACE}]+|[{WHITESPACE}]+\\Z")
PAYMENT_METHOD = re.compile(r"pm_[A-Za-z0-9_]{1,64}")
IDEMPOTENCY_KEY = re.compile(r"[\x20-\x7e]{1,255}")
MISSING = object()


class Rules:
    """Collects broken rules so that one answer can name all of them.

    A broken rule gives back an empty value of the expected type (0, ""), so that parsing goes on to
    the next field; check() raises before any such value can be used."""

    def __init__(self):
        self.errors: list[dict] = []

    def fail(self, field: str, message: str) -> None:
        self.errors.append({"field": field, "message": message})

    def check(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)

    def integer(self, value: Any, field: str, low: int, high: int) -> int:
        if value is MISSING:
            self.fail(field, "is required")
            return 0
        # JSON has one number type: 2.0 is the integer 2, but true is not 1.
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not is_number or (isinstance(value, float) and not value.is_integer()):
            self.fail(field, "must be an integer")
            return 0
        if not low <= value <= high:
            self.fail(field, f"must be from {low} to {high}")
            return 0
        return int(value)

    def pattern(self, value: Any, field: str, regex: re.Pattern, max_length: int = 255) -> str:
        if value is MISSING:
            self.fail(field, "is required")
            return ""
        if not isinstance(value, str):
            self.fail(field, "must be a string")
            return ""
        if len(value) > max_length or not regex.fullmatch(value):
            self.fail(field, f"must match {regex.pattern} (at most {max_length} characters)")
            return ""
        return value


def json_object(body: Any, field: str = "body") -> dict:
    if not isinstance(body, dict):
        raise ValidationFailed([{"field": field, "message": "must be a JSON object"}])
    return body


def new_product(body: Any) -> NewProduct:
    body, rules = json_object(body), Rules()
    sku = rules.pattern(body.get("sku", MISSING), "sku", SKU)
    name = _trimmed(body.get("name", MISSING))
    if not 1 <= len(name) <= 200 or "\x00" in name:
        rules.fail("name", "must be a string of 1 to 200 characters after trimming whitespace, "
                           "without U+0000")
    price = rules.integer(body.get("price_cents", MISSING), "price_cents", 1, 10_000_000)
    stock = rules.integer(body.get("stock", 0), "stock", 0, 1_000_000)
    rules.check()
    return NewProduct(sku=sku, name=name, price_cents=price, stock=stock)


def _trimmed(name: Any) -> str:
    return SURROUNDING_WHITESPACE.sub("", name) if isinstance(name, str) else ""


def restock_quantity(body: Any) -> int:
    body, rules = json_object(body), Rules()
    quantity = rules.integer(body.get("quantity", MISSING), "quantity", 1, 1_000_000)
    rules.check()
    return quantity


def order_request(body: Any) -> OrderRequest:
    body, rules = json_object(body), Rules()
    email = rules.pattern(body.get("customer_email", MISSING), "customer_email", EMAIL, 254)
    items = order_items(body.get("items", MISSING), rules)
    method = rules.pattern(body.get("payment_method", MISSING), "payment_method", PAYMENT_METHOD)
    rules.check()
    return OrderRequest(customer_email=email, items=items, payment_method=method)


def order_items(items: Any, rules: Rules) -> tuple[ItemRequest, ...]:
    if not isinstance(items, list) or not 1 <= len(items) <= 50:
        rules.fail("items", "must be a list of 1 to 50 items")
        return ()
    parsed: list[ItemRequest] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        field = f"items[{index}]"
        if not isinstance(item, dict):
            rules.fail(field, "must be a JSON object")
            continue
        sku = rules.pattern(item.get("sku", MISSING), f"{field}.sku", SKU)
        if sku and sku in seen:
            rules.fail(f"{field}.sku", "must appear at most once in an order")
        seen.add(sku)
        quantity = rules.integer(item.get("quantity", MISSING), f"{field}.quantity", 1, 100)
        parsed.append(ItemRequest(sku=sku, quantity=quantity))
    return tuple(parsed)


def idempotency_key(value: str | None) -> str | None:
    """The Idempotency-Key header: absent is fine, malformed is not."""
    if value is not None and not IDEMPOTENCY_KEY.fullmatch(value):
        raise ValidationFailed([{
            "field": "Idempotency-Key",
            "message": "must be 1 to 255 printable ASCII characters",
        }])
    return value


def required_query(value: str | None, name: str) -> str:
    if not value:
        raise ValidationFailed([{"field": name, "message": "is a required query parameter"}])
    if "\x00" in value:
        raise ValidationFailed([{"field": name, "message": "must not contain U+0000"}])
    return value


def optional_object(body: Any) -> dict:
    """A body that may be left out, but must be a JSON object when sent (e.g. cancel): the JSON
    `null` is sent, and is not an object."""
    return {} if body is bodies.ABSENT else json_object(body)

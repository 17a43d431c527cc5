"""A fixed request sequence, recorded and normalized so that variants can be compared answer by answer."""

import difflib
import json
import uuid
from urllib.parse import urljoin, urlsplit

from .client import ORDER_ID_PATTERN, RFC3339_UTC, media_type, unique_email, unique_sku

VARIANT_NAMES = {"monolith", "services", "microservices", "serverless"}
# Free text and URIs, not fixed by the contract ("instance" is RFC 9457's optional member).
PROBLEM_PROSE = ("type", "title", "detail", "instance")
KEPT_HEADERS = ("Content-Type", "Location", "Allow", "WWW-Authenticate")


class Recorder:
    """Sends requests through a client and keeps each answer with generated values named."""

    def __init__(self, shop):
        self.shop = shop
        self.tokens: dict[str, str] = {}  # generated value -> placeholder such as "<order-1>"
        self.steps: list[dict] = []

    def name(self, value: str, placeholder: str) -> None:
        self.tokens[value] = placeholder

    def call(self, step: str, method: str, path: str, sort_items: bool = False, **kwargs):
        resp = self.shop.request(method, path, **kwargs)
        body = _parse(resp)
        if sort_items and isinstance(body, dict) and isinstance(body.get("items"), list):
            # The contract does not fix the order of these items; timestamps may tie, so skip them.
            body["items"].sort(key=lambda item: json.dumps(
                {k: v for k, v in item.items() if k != "created_at"}, sort_keys=True))
        self._name_order_ids(body)
        params = kwargs.get("params") or {}
        query = "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
        self.steps.append({"step": step, "request": f"{method} {self._replace(path + query)}",
                           "status": resp.status_code, "headers": self._headers(resp),
                           "body": self._replace(body)})
        return resp

    def _name_order_ids(self, value) -> None:
        # Order ids are named in order of first appearance: <order-1>, <order-2>, ...
        if isinstance(value, list):
            for item in value:
                self._name_order_ids(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key in ("id", "order_id") and isinstance(item, str) and item not in self.tokens \
                        and ORDER_ID_PATTERN.match(item):
                    orders = sum(p.startswith("<order-") for p in self.tokens.values())
                    self.tokens[item] = f"<order-{orders + 1}>"
                else:
                    self._name_order_ids(item)

    def _replace(self, value, key: str | None = None):
        if isinstance(value, list):
            return [self._replace(item) for item in value]
        if isinstance(value, dict):
            return {k: self._replace(v, k) for k, v in value.items()}
        if not isinstance(value, str):
            return value
        if key == "created_at":
            return "<timestamp>" if RFC3339_UTC.match(value) else value
        if key == "variant" and value in VARIANT_NAMES:
            return "<variant>"
        for raw in sorted(self.tokens, key=len, reverse=True):
            value = value.replace(raw, self.tokens[raw])
        return value

    def _headers(self, resp) -> dict:
        headers = {}
        for name in KEPT_HEADERS:
            value = resp.headers.get(name)
            if value is None:
                continue
            if name == "Content-Type":
                value = media_type(resp)
            elif name == "Location":
                value = self._replace(urlsplit(urljoin(resp.url, value)).path)
            elif name == "WWW-Authenticate":
                value = value.split(" ")[0]
            headers[name] = value
        return headers


def _parse(resp):
    try:
        return resp.json() if resp.content else None
    except ValueError:
        return {"<not json>": resp.text[:200]}


def contract_view(steps: list[dict]) -> list[dict]:
    """What the contract fixes: problem prose and error messages left out."""
    view = []
    for step in steps:
        step, body = dict(step), step["body"]
        if step["headers"].get("Content-Type") == "application/problem+json" and isinstance(body, dict):
            body = {k: v for k, v in body.items() if k not in PROBLEM_PROSE}
            if isinstance(body.get("errors"), list):
                body["errors"] = [e.get("field") if isinstance(e, dict) else e for e in body["errors"]]
        step["body"] = body
        view.append(step)
    return view


def diff(expected: list[dict], actual: list[dict], expected_name: str, actual_name: str) -> str:
    """A per-step unified diff; empty when the transcripts are equal."""
    parts = []
    for index in range(max(len(expected), len(actual))):
        want = expected[index] if index < len(expected) else None
        got = actual[index] if index < len(actual) else None
        if want != got:
            lines = difflib.unified_diff(
                json.dumps(want, indent=2, sort_keys=True).splitlines(),
                json.dumps(got, indent=2, sort_keys=True).splitlines(),
                expected_name, actual_name, lineterm="")
            label = (want or got)["step"]
            parts.append(f"step {index + 1} ({label}):\n" + "\n".join(lines))
    return "\n\n".join(parts)


def record(shop) -> list[dict]:
    """Runs the fixed sequence against `shop` and returns its normalized transcript."""
    rec = Recorder(shop)
    mug, pen, ghost = unique_sku("MUG"), unique_sku("PEN"), unique_sku("GHOST")
    email, stranger = unique_email("buyer"), unique_email("stranger")
    missing_order, key = str(uuid.uuid4()), f"transcript-{uuid.uuid4()}"
    for value, placeholder in [(mug, "<sku-mug>"), (pen, "<sku-pen>"), (ghost, "<sku-ghost>"),
                               (email, "<email-buyer>"), (stranger, "<email-stranger>"),
                               (missing_order, "<missing-order>"), (key, "<idempotency-key>")]:
        rec.name(value, placeholder)
    _catalog(rec, mug, pen, ghost)
    first_id = _orders(rec, mug, pen, ghost, email, stranger, key)
    _after_orders(rec, mug, email, stranger, missing_order, first_id)
    _bad_requests(rec, mug)
    return rec.steps


def order(email, items, method="pm_card_visa") -> dict:
    return {"customer_email": email, "items": [{"sku": s, "quantity": q} for s, q in items],
            "payment_method": method}


def _catalog(rec, mug, pen, ghost):
    rec.call("health", "GET", "/health")
    rec.call("create mug", "POST", "/products", admin=True,
             json={"sku": mug, "name": "  Blue mug ", "price_cents": 1250, "stock": 10})
    rec.call("create pen", "POST", "/products", admin=True,
             json={"sku": pen, "name": "Pen", "price_cents": 199.0, "stock": 1})
    rec.call("duplicate sku", "POST", "/products", admin=True,
             json={"sku": mug, "name": "Other", "price_cents": 1})
    rec.call("create without token", "POST", "/products",
             json={"sku": ghost, "name": "Ghost", "price_cents": 1})
    rec.call("price not an integer", "POST", "/products", admin=True,
             json={"sku": ghost, "name": "Ghost", "price_cents": 2.5})
    rec.call("get mug", "GET", f"/products/{mug}")
    rec.call("get unknown product", "GET", f"/products/{ghost}")
    rec.call("restock pen", "POST", f"/products/{pen}/restock", admin=True, json={"quantity": 1})


def _orders(rec, mug, pen, ghost, email, stranger, key) -> str:
    body = order(email, [(mug, 2), (pen, 1)])
    first = rec.call("confirmed order", "POST", "/orders", json=body, headers={"Idempotency-Key": key})
    rec.call("replay", "POST", "/orders", json=body, headers={"Idempotency-Key": key})
    rec.call("key reused", "POST", "/orders", json=order(stranger, [(mug, 1)]),
             headers={"Idempotency-Key": key})
    rec.call("out of stock", "POST", "/orders", json=order(email, [(mug, 1), (pen, 5)]))
    rec.call("payment declined", "POST", "/orders",
             json=order(email, [(mug, 1)], "pm_card_chargeDeclinedInsufficientFunds"))
    rec.call("unknown product", "POST", "/orders", json=order(email, [(ghost, 1), (mug, 1)]))
    return first.json().get("id", "") if first.status_code == 201 else ""


def _after_orders(rec, mug, email, stranger, missing_order, first_id):
    second_id = next((raw for raw, name in rec.tokens.items() if name == "<order-2>"), "")
    rec.call("get confirmed order", "GET", f"/orders/{first_id}")
    rec.call("get rejected order", "GET", f"/orders/{second_id}")
    rec.call("cancel", "POST", f"/orders/{first_id}/cancel")
    rec.call("cancel again", "POST", f"/orders/{first_id}/cancel")
    rec.call("cancel rejected", "POST", f"/orders/{second_id}/cancel")
    rec.call("stock given back", "GET", f"/products/{mug}")
    rec.call("orders of buyer", "GET", "/orders", admin=True, params={"customer_email": email})
    rec.call("orders of stranger", "GET", "/orders", admin=True, params={"customer_email": stranger})
    rec.shop.wait_for_notifications(first_id, 2)  # asynchronous variants may need a moment
    rec.call("notifications of cancelled order", "GET", "/notifications", admin=True,
             params={"order_id": first_id}, sort_items=True)
    rec.call("notifications of rejected order", "GET", "/notifications", admin=True,
             params={"order_id": second_id})
    rec.call("get unknown order", "GET", f"/orders/{missing_order}")


def _bad_requests(rec, mug):
    rec.call("unknown path", "GET", "/nothing-here")
    rec.call("wrong method", "DELETE", "/products")
    rec.call("not json", "POST", "/orders", data=b'{"items": []}',
             headers={"Content-Type": "text/plain"})
    rec.call("invalid json", "POST", "/orders", data=b"{", headers={"Content-Type": "application/json"})
    rec.call("array body", "POST", "/orders", json=[])
    rec.call("quantity zero", "POST", "/orders", json=order("q@example.com", [(mug, 0)]))
    rec.call("listing without email", "GET", "/orders", admin=True)
    rec.call("body too large", "POST", "/orders", data=b'{"p": "' + b"x" * 70_000 + b'"}',
             headers={"Content-Type": "application/json"})

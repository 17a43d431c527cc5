"""The four use cases every experiment drives, as one customer does them over HTTP."""

import uuid

import requests

TIMEOUT = (2, 10)
USE_CASES = ["read a product", "place an order", "read the order", "cancel the order"]


def order_body(sku: str, email: str = "experiment@example.com") -> dict:
    return {"customer_email": email, "payment_method": "pm_card_visa",
            "items": [{"sku": sku, "quantity": 1}]}


def place(http: requests.Session, url: str, sku: str) -> requests.Response:
    return http.post(f"{url}/orders", json=order_body(sku), timeout=TIMEOUT,
                     headers={"Idempotency-Key": uuid.uuid4().hex})


def do(http: requests.Session, url: str, use_case: str, sku: str, order_id: str | None) -> requests.Response:
    """One request of `use_case` (the order ones need `order_id`)."""
    if use_case == "read a product":
        return http.get(f"{url}/products/{sku}", timeout=TIMEOUT)
    if use_case == "place an order":
        return place(http, url, sku)
    if use_case == "read the order":
        return http.get(f"{url}/orders/{order_id}", timeout=TIMEOUT)
    return http.post(f"{url}/orders/{order_id}/cancel", json={}, timeout=TIMEOUT)

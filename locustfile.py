"""A shop's day for locust, against any running variant: shoppers browse the catalog, look at
products, order (now and then with a card that is declined), read their orders and cancel
some. `make bench` stays the measuring tool; this is for watching a variant under load.

    .venv/bin/shop up monolith --seed                       # in one terminal
    .venv/bin/locust -H http://127.0.0.1:8000              # in another: http://127.0.0.1:8089

pyproject.toml's [tool.locust] keeps the web UI on loopback. With SHOP_ADMIN_TOKEN set (the
token `shop up` prints), every listed product is restocked first, so that orders do not
simply run out; without it, an order of a product that has run out is a 409, as in a shop.
"""

import os
import random
import uuid

from locust import HttpUser, between, events, task

RESTOCK = 100_000
DECLINED_SHARE = 0.1  # orders paid with a card that is declined (402)
ORDER_OUTCOMES = (201, 402, 409)  # confirmed, declined, out of stock: all answers of a shop


@events.test_start.add_listener
def _restock(environment, **_kwargs):
    token = os.environ.get("SHOP_ADMIN_TOKEN")
    if not token or not environment.host:
        return
    import requests  # locust's own client is for timed requests; this one is not timed

    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {token}"
        for product in http.get(environment.host + "/products", timeout=10).json()["items"]:
            http.post(f"{environment.host}/products/{product['sku']}/restock",
                      json={"quantity": RESTOCK}, timeout=10).raise_for_status()


class Shopper(HttpUser):
    """One customer: a few seconds between clicks, their own orders remembered."""

    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.email = f"shopper-{uuid.uuid4().hex[:8]}@example.com"
        self.skus = [p["sku"] for p in self.client.get("/products").json()["items"]]
        self.confirmed: list[str] = []

    @task(6)
    def browse(self):
        self.client.get("/products")

    @task(10)
    def view_product(self):
        if self.skus:
            self.client.get(f"/products/{random.choice(self.skus)}", name="/products/{sku}")

    @task(3)
    def place_order(self):
        if not self.skus:
            return
        skus = random.sample(self.skus, k=min(len(self.skus), random.randint(1, 3)))
        body = {"customer_email": self.email,
                "payment_method": ("pm_card_chargeDeclined" if random.random() < DECLINED_SHARE
                                   else "pm_card_visa"),
                "items": [{"sku": sku, "quantity": random.randint(1, 2)} for sku in skus]}
        with self.client.post("/orders", json=body, catch_response=True,
                              headers={"Idempotency-Key": uuid.uuid4().hex}) as response:
            if response.status_code not in ORDER_OUTCOMES:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            response.success()  # a 402 or a 409 too: locust counts any 4xx as failed otherwise
            if response.status_code == 201:
                self.confirmed.append(response.json()["id"])

    @task(3)
    def read_order(self):
        if self.confirmed:
            self.client.get(f"/orders/{random.choice(self.confirmed)}", name="/orders/{id}")

    @task(1)
    def cancel_order(self):
        if self.confirmed:
            order_id = self.confirmed.pop(random.randrange(len(self.confirmed)))
            self.client.post(f"/orders/{order_id}/cancel", name="/orders/{id}/cancel")

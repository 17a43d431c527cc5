"""consistency (D7): from an order's 201 until its notification can be read, and until every
read agrees (the order, the customer's order list, the notification), per variant; and what a
reader saw meanwhile."""

import time

import requests

from launcher.experiments import results, shopping
from launcher.experiments.stand import Stand

NAME, CLAIMS = "consistency", ["D7"]
DEFAULT_VARIANTS = ["monolith", "services", "microservices", "serverless"]
COLUMNS = ["variant", "orders", "notification p50 ms", "notification max ms",
           "all reads agree p50 ms", "all reads agree max ms", "reads that saw no notification yet"]
HOW = {"monolith": "one transaction", "services": "one transaction in the orders service",
       "microservices": "outbox, then the relay", "serverless": "DynamoDB stream, then SQS"}
POLL = 0.005
GIVE_UP = 30.0


def run(variants: list[str], quick: bool) -> dict:
    orders, rows = (3 if quick else 30), []
    for variant in variants:
        with Stand(variant) as shop, requests.Session() as http:
            seen = [_follow(http, shop, n) for n in range(orders)]
        notified = [s["notification_ms"] for s in seen]
        agreed = [s["agreed_ms"] for s in seen]
        rows.append([variant, orders, results.percentile(notified, 50), max(notified),
                     results.percentile(agreed, 50), max(agreed), sum(s["stale_reads"] for s in seen)])
    findings = [f"{row[0]} ({HOW[row[0]]}): a notification readable {row[2]:.1f} ms after the 201 "
                f"(p50); {row[6]} reads in between saw none" for row in rows]
    return results.result(NAME, CLAIMS, COLUMNS, rows, findings=findings,
                          method=f"{orders} orders one after the other; after each 201 the three reads "
                                 f"are repeated every {POLL * 1000:.0f} ms until they agree")


def _follow(http: requests.Session, shop: Stand, number: int) -> dict:
    email = f"consistency-{number}-{time.monotonic_ns()}@example.com"
    answer = http.post(f"{shop.url}/orders", json=shopping.order_body(shop.skus[0], email),
                       headers={"Idempotency-Key": email}, timeout=shopping.TIMEOUT)
    answered, order_id = time.monotonic(), answer.json()["id"]
    notified = agreed = None
    stale = 0
    while agreed is None and time.monotonic() - answered < GIVE_UP:
        notes = http.get(f"{shop.url}/notifications", params={"order_id": order_id},
                         headers=shop.admin, timeout=shopping.TIMEOUT).json()["items"]
        now = time.monotonic()
        if notes and notified is None:
            notified = now
        stale += not notes
        if notes and _order_reads_agree(http, shop, order_id, email):
            agreed = time.monotonic()
        time.sleep(POLL)
    return {"notification_ms": ((notified or now) - answered) * 1000,
            "agreed_ms": ((agreed or now) - answered) * 1000, "stale_reads": stale}


def _order_reads_agree(http: requests.Session, shop: Stand, order_id: str, email: str) -> bool:
    one = http.get(f"{shop.url}/orders/{order_id}", timeout=shopping.TIMEOUT).json()
    listed = http.get(f"{shop.url}/orders", params={"customer_email": email}, headers=shop.admin,
                      timeout=shopping.TIMEOUT).json()["items"]
    return one.get("status") == "confirmed" and [o["status"] for o in listed] == ["confirmed"]

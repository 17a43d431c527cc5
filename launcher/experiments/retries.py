"""What a careful client does after an outage: each order and cancel that got no answer (or
a "try again") sent again, the order with its own Idempotency-Key, until it has an outcome."""

import time
from concurrent.futures import ThreadPoolExecutor

import requests

from launcher.experiments.journal import CLIENTS, Call, Journal, send

RETRY_PAUSE = 0.5


def has_outcome(call: Call) -> bool:
    return call.status in (201, 402) or (call.status == 409 and call.code == "out_of_stock")


def not_yet(call: Call) -> bool:
    """No answer, a 5xx, or a request with this key still being processed: ask again."""
    return call.status is None or call.status >= 500 or call.code == "idempotency_key_in_use"


def retry(shop, journal: Journal, after: float, deadline: float) -> list[Call]:
    """Each unanswered order again with its key and body, and each unanswered cancel, until it
    has an answer that is not "not yet" or `deadline` seconds have passed; the last calls."""
    time.sleep(after)
    todo = [c for c in journal.calls if c.action in ("order", "cancel") and not_yet(c)]
    until = time.monotonic() + deadline
    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(lambda call: _again(shop, call, until), todo))


def _again(shop, first: Call, until: float) -> Call:
    headers = {"Idempotency-Key": first.key} if first.key else {}
    with requests.Session() as http:
        while True:
            call = send(http, shop.url, Call(first.action, first.path, first.body, first.key,
                                             time.monotonic()), headers)
            if not not_yet(call) or time.monotonic() > until:
                return call
            time.sleep(RETRY_PAUSE)

"""The gateway's way to the services behind it: one connection pool per target, explicit timeouts."""

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote

from werkzeug.datastructures import Headers

from microservices.remote import Service

TARGETS = ("catalog", "inventory", "orders", "notifications")
# What a service needs to decide, and what a client needs to see of its answer.
FORWARDED_HEADERS = ("Content-Type", "Idempotency-Key")
RELAYED_HEADERS = ("Content-Type", "Location", "Allow")


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]


class Clients:
    """Made once per worker process, after gunicorn forked."""

    def __init__(self, config: Mapping):
        # Placing an order is a saga of several calls: orders gets longer to answer.
        timeouts = dict.fromkeys(TARGETS, config["TIMEOUT"]) | {"orders": config["ORDERS_TIMEOUT"]}
        self.services = {name: Service(name, config[f"{name.upper()}_URL"],
                                       config["INTERNAL_TOKEN"], timeouts[name])
                         for name in TARGETS}
        # For a second call side by side with the first: one per request thread of the
        # worker (launcher/gunicorn_conf.py), made on use.
        self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="gateway-calls")


def forward(service: Service, method: str, path: str, query: list[tuple[str, str]],
            headers: Headers, body: bytes | None) -> Answer:
    """A client's request passed on as it came; its answer passed back. No answer is a 503."""
    # Present, not truthy: an empty Idempotency-Key is malformed, and orders must get to say so.
    sent = {name: headers[name] for name in FORWARDED_HEADERS if name in headers}
    response = service.send(method, quote(path), params=query, headers=sent, data=body)
    kept = {name: response.headers[name] for name in RELAYED_HEADERS if name in response.headers}
    return Answer(response.status, response.data, kept)

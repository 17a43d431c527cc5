"""The storefront's way to the orders service: one Session, explicit timeouts, request ids."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

import requests

from shared import request_id
from shared.errors import ServiceUnavailable
from shared.web import current_request_id

# What orders needs to decide, and what a client needs to see of its answer.
FORWARDED_HEADERS = ("Content-Type", "Authorization", "Idempotency-Key")
RELAYED_HEADERS = ("Content-Type", "Location", "Allow", "WWW-Authenticate")
# Every way a call can end without an answer: refused, timed out, cut off half way.
NO_ANSWER = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
log = logging.getLogger("shop")


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]


class OrdersClient:
    """The orders service over HTTP; its one Session keeps connections open between calls.

    One per worker process, shared by the worker's threads: the connection pool under the
    Session is thread-safe, and orders sets no cookies that the threads could mix up.
    """

    def __init__(self, base_url: str, timeout: tuple[float, float]):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout  # (connect, read) in seconds
        self.session = requests.Session()
        # The address is configured, not discovered: no proxy or .netrc from the environment.
        self.session.trust_env = False

    def forward(self, method: str, path: str, query: list[tuple[str, str]],
                headers: Mapping[str, str], body: bytes | None) -> Answer:
        """Send a client's request on as it came; no answer from orders is a 503."""
        # Present, not truthy: an empty Idempotency-Key is malformed, and orders must get to say so.
        sent = {name: headers[name] for name in FORWARDED_HEADERS if name in headers}
        rid = sent[request_id.HEADER] = current_request_id()
        try:
            response = self.session.request(
                method, self.base_url + quote(path), params=query, headers=sent, data=body,
                timeout=self.timeout, allow_redirects=False)
        except NO_ANSWER as error:
            log.warning("request %s: orders did not answer %s %s: %s", rid, method, path, error)
            raise ServiceUnavailable(
                "The orders service did not answer. Nothing is done twice if you retry an order "
                "with the same Idempotency-Key.") from None
        kept = {name: response.headers[name]
                for name in RELAYED_HEADERS if name in response.headers}
        return Answer(response.status_code, response.content, kept)

"""Calling another service: one Session per target, explicit timeouts, request ids, the token.

An internal service answers errors as Problem Details, like the gateway does; `call`
turns such an answer back into the ShopError it stands for (through the one table in
shared/problems.py), so a 404 from the catalog is the gateway's 404 as well. No answer
at all becomes ServiceUnavailable, the gateway's 503.
"""

import contextvars
import logging
from concurrent.futures import Executor, Future

import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from microservices import internal
from shared import errors, problems, request_id
from shared.web import current_request_id

# Every way a call can end without an answer: refused, timed out, cut off half way.
NO_ANSWER = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
ERRORS_BY_CODE = {code: error for error, (_, code, _) in problems.PROBLEMS.items()}
STANDARD_MEMBERS = {"type", "title", "status", "detail", "code"}
log = logging.getLogger("shop")


class Service:
    """One service over HTTP. One per worker process, shared by its threads: the
    connection pool under the Session is thread-safe and no service sets cookies."""

    def __init__(self, name: str, base_url: str, token: str, timeout: tuple[float, float]):
        self.name, self.base_url, self.timeout = name, base_url.rstrip("/"), timeout
        self.session = requests.Session()
        self.session.trust_env = False  # the address is configured: no proxy, no .netrc
        self.session.headers[internal.HEADER] = token
        # A failed connect sent nothing, so trying once more is safe for any method;
        # a read is never retried here (the request may have been acted on).
        retry = Retry(total=1, connect=1, read=0, status=0, other=0, allowed_methods=None)
        self.session.mount("http://", HTTPAdapter(max_retries=retry))

    def send(self, method: str, path: str, **kwargs) -> requests.Response:
        """The raw answer; no answer at all is ServiceUnavailable."""
        headers = kwargs.pop("headers", {}) | {request_id.HEADER: current_request_id()}
        try:
            return self.session.request(method, self.base_url + path, headers=headers,
                                        timeout=self.timeout, allow_redirects=False, **kwargs)
        except NO_ANSWER as error:
            log.warning("request %s: %s did not answer %s %s: %s",
                        headers[request_id.HEADER], self.name, method, path, error)
            raise errors.ServiceUnavailable(
                f"The {self.name} service did not answer. Nothing is done twice if you retry "
                "an order with the same Idempotency-Key.") from None

    def call(self, method: str, path: str, **kwargs) -> dict:
        """The parsed JSON answer; an error answer is raised as the ShopError it names."""
        response = self.send(method, path, **kwargs)
        if response.status_code >= 400:
            raise shop_error(response)
        return response.json()


def shop_error(response: requests.Response) -> errors.ShopError:
    """The ShopError a Problem Details answer stands for (500 internal_error if none)."""
    try:
        body = response.json()
        extensions = {k: v for k, v in body.items() if k not in STANDARD_MEMBERS}
        return ERRORS_BY_CODE[body["code"]].from_problem(body.get("detail", ""), extensions)
    except (ValueError, KeyError, TypeError, AttributeError):
        return errors.InternalError(f"Unexpected answer {response.status_code} from a service.")


def side_by_side(pool: Executor, call, *args, **kwargs) -> Future:
    """`call(*args, **kwargs)` in a thread of `pool` while the caller goes on, in the caller's
    context: the request id of the request being served goes along."""
    return pool.submit(contextvars.copy_context().run, call, *args, **kwargs)

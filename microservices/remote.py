"""Calling another service: one connection pool per target, explicit timeouts, request ids, the token.

An internal service answers errors as Problem Details, like the gateway does; `call`
turns such an answer back into the ShopError it stands for (through the one table in
shared/problems.py), so a 404 from the catalog is the gateway's 404 as well. No answer
at all becomes ServiceUnavailable, the gateway's 503.
"""

import contextvars
import logging
from concurrent.futures import Executor, Future
from urllib.parse import urlencode, urlsplit

import urllib3
from urllib3.util import Retry, Timeout

from microservices import internal
from shared import errors, problems, request_id
from shared.web import current_request_id

ERRORS_BY_CODE = {code: error for error, (_, code, _) in problems.PROBLEMS.items()}
STANDARD_MEMBERS = {"type", "title", "status", "detail", "code"}
# As many connections kept open as the worker has threads that may call at once.
POOL_SIZE = 8
log = logging.getLogger("shop")


class Service:
    """One service over HTTP. One per worker process, shared by its threads: the
    connection pool is thread-safe. urllib3 itself, not requests on top of it: a call
    costs a third of the CPU, and a service needs none of what requests adds."""

    def __init__(self, name: str, base_url: str, token: str, timeout: tuple[float, float]):
        self.name, self.prefix, self.token = name, urlsplit(base_url).path.rstrip("/"), token
        # A failed connect sent nothing, so trying once more is safe for any method;
        # a read is never retried here (the request may have been acted on).
        retry = Retry(total=1, connect=1, read=0, status=0, other=0, redirect=False,
                      allowed_methods=None)
        self.pool = urllib3.connection_from_url(
            base_url, maxsize=POOL_SIZE, retries=retry,
            timeout=Timeout(connect=timeout[0], read=timeout[1]))

    def send(self, method: str, path: str, params=None, json=None, data: bytes | None = None,
             headers: dict[str, str] | None = None) -> urllib3.BaseHTTPResponse:
        """The raw answer; no answer at all is ServiceUnavailable."""
        sent = (headers or {}) | {internal.HEADER: self.token,
                                  request_id.HEADER: current_request_id()}
        url = self.prefix + path + (f"?{urlencode(params, doseq=True)}" if params else "")
        try:
            return self.pool.request(method, url, body=data, json=json, headers=sent)
        except urllib3.exceptions.HTTPError as error:  # refused, timed out, cut off half way
            log.warning("request %s: %s did not answer %s %s: %s",
                        sent[request_id.HEADER], self.name, method, path, error)
            raise errors.ServiceUnavailable(
                f"The {self.name} service did not answer. Nothing is done twice if you retry "
                "an order with the same Idempotency-Key.") from None

    def call(self, method: str, path: str, **kwargs) -> dict:
        """The parsed JSON answer; an error answer is raised as the ShopError it names."""
        response = self.send(method, path, **kwargs)
        if response.status >= 400:
            raise shop_error(response)
        return response.json()


def shop_error(response) -> errors.ShopError:
    """The ShopError a Problem Details answer stands for (500 internal_error if none)."""
    try:
        body = response.json()
        extensions = {k: v for k, v in body.items() if k not in STANDARD_MEMBERS}
        return ERRORS_BY_CODE[body["code"]].from_problem(body.get("detail", ""), extensions)
    except (ValueError, KeyError, TypeError, AttributeError):
        return errors.InternalError(f"Unexpected answer {response.status} from a service.")


def side_by_side(pool: Executor, call, *args, **kwargs) -> Future:
    """`call(*args, **kwargs)` in a thread of `pool` while the caller goes on, in the caller's
    context: the request id of the request being served goes along."""
    return pool.submit(contextvars.copy_context().run, call, *args, **kwargs)

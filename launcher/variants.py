"""Every variant as the processes it is made of: the whole topology of the project on one page."""

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

# One access-log line per request, with its X-Request-Id, so a request can be followed.
ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)sB %(M)sms rid=%({x-request-id}o)s'


@dataclass(frozen=True)
class Process:
    name: str
    argv: list[str]
    port: int
    env: dict[str, str] = field(default_factory=dict)

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/health"


@dataclass(frozen=True)
class Variant:
    name: str
    port: int
    processes: Callable[[int], list[Process]]  # public port -> processes


def gunicorn(name: str, app: str, port: int, workers: int = 2, threads: int = 4, **env) -> Process:
    """A Flask app factory served by gunicorn on a loopback port."""
    argv = [
        sys.executable, "-m", "gunicorn", app,
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads),
        "--graceful-timeout", "5", "--no-control-socket",
        "--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT,
    ]
    return Process(name, argv, port, env)


VARIANTS: dict[str, Variant] = {
    "monolith": Variant("monolith", 8000, lambda port: [
        gunicorn("monolith", "monolith.app:create_app()", port),
    ]),
    # Orders first: health is awaited in list order, so the public URL is announced once orders answers.
    "services": Variant("services", 8100, lambda port: [
        gunicorn("orders", "services.orders.app:create_app()", port + 1),
        gunicorn("storefront", "services.storefront.app:create_app()", port,
                 ORDERS_URL=f"http://127.0.0.1:{port + 1}"),
    ]),
}

"""Every variant as the processes it is made of: the whole topology of the project on one page."""

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

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


def gunicorn(name: str, app: str, port: int, **env) -> Process:
    """A Flask app factory served by gunicorn on a loopback port, with the settings that
    Docker uses too (launcher/gunicorn_conf.py)."""
    argv = [sys.executable, "-m", "gunicorn", "-c", "python:launcher.gunicorn_conf", app,
            "--bind", f"127.0.0.1:{port}"]
    return Process(name, argv, port, env)


VARIANTS: dict[str, Variant] = {
    "monolith": Variant("monolith", 8000, lambda port: [
        gunicorn("monolith", "monolith.app:create_app()", port),
    ]),
    # Orders first: health is awaited in list order, so the public URL is announced once orders answers.
    "services": Variant("services", 8100, lambda port: [
        gunicorn("services-orders", "services.orders.app:create_app()", port + 1),
        gunicorn("services-storefront", "services.storefront.app:create_app()", port,
                 ORDERS_URL=f"http://127.0.0.1:{port + 1}"),
    ]),
}

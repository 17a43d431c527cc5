"""Every variant as the processes it is made of: the whole topology of the project on one page."""

import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Process:
    name: str
    argv: list[str]
    port: int | None  # None: a worker that serves nothing, so it has no health check
    env: dict[str, str | None] = field(default_factory=dict)  # None: leave the variable out

    @property
    def health_url(self) -> str | None:
        return None if self.port is None else f"http://127.0.0.1:{self.port}/health"


@dataclass(frozen=True)
class Variant:
    name: str
    port: int
    processes: Callable[[int], list[Process]]  # public port -> processes
    sql: bool = True  # False: keeps its state without SQL, so DATABASE_URL means nothing to it


def gunicorn(name: str, app: str, port: int, **env) -> Process:
    """A Flask app factory served by gunicorn on a loopback port, with the settings that
    Docker uses too (launcher/gunicorn_conf.py). Its spans carry its service name."""
    argv = [sys.executable, "-m", "gunicorn", "-c", "python:launcher.gunicorn_conf", app,
            "--bind", f"127.0.0.1:{port}"]
    return Process(name, argv, port, {"OTEL_SERVICE_NAME": name} | env)


MICROSERVICES = ["catalog", "inventory", "orders", "payments", "notifications"]  # port+1 ...


def microservices(port: int) -> list[Process]:
    """Five internal services on the ports above `port`, the outbox relay, then the gateway:
    health is awaited in list order, so the public URL is announced once all of it answers."""
    ports = {"gateway": port} | {name: port + 1 + i for i, name in enumerate(MICROSERVICES)}
    urls = {f"{name.upper()}_URL": f"http://127.0.0.1:{p}" for name, p in ports.items()}
    env: dict[str, str | None] = {
        **urls,
        # One token per run unless one is given: only these processes know it.
        "SHOP_INTERNAL_TOKEN": os.environ.get("SHOP_INTERNAL_TOKEN") or secrets.token_urlsafe(24),
        # One worker (of 4 threads) each: seven processes' worth of memory, not thirteen.
        "GUNICORN_CMD_ARGS": "--workers 1",
    }
    services = [gunicorn(name, f"microservices.{name}.app:create_app()", ports[name],
                         **env, OTEL_SERVICE_NAME=f"microservices-{name}") for name in MICROSERVICES]
    relay = Process("relay", [sys.executable, "-m", "microservices.orders.relay"], None,
                    env | {"OTEL_SERVICE_NAME": "microservices-relay"})
    gateway = gunicorn("gateway", "microservices.gateway.app:create_app()", port, **env,
                       OTEL_SERVICE_NAME="microservices-gateway")
    return services + [relay, gateway]


def python_module(name: str, module: str, port: int, env: dict[str, str | None]) -> Process:
    """`python -m module --port port`, for processes that are not Flask apps."""
    return Process(name, [sys.executable, "-m", module, "--port", str(port)], port, env)


LOCAL_AWS_ACCESS_KEY_ID = "shop-local"  # not a secret, as an access key id on AWS is not


def local_aws(endpoint: str, secret: str) -> dict[str, str | None]:
    """An AWS environment that reaches only the local moto server: this run's credentials, the
    only ones it answers, a fixed region, and nothing read from the user's own AWS configuration."""
    return {
        "AWS_ENDPOINT_URL": endpoint, "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": LOCAL_AWS_ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_SESSION_TOKEN": None,
        "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_PROFILE": None, "AWS_DEFAULT_PROFILE": None,
        "AWS_ENDPOINT_URL_DYNAMODB": None, "AWS_ENDPOINT_URL_SQS": None,
        "AWS_ENDPOINT_URL_DYNAMODB_STREAMS": None,
    }


def serverless(port: int) -> list[Process]:
    """The local AWS (moto) first, then the runner (API Gateway, Lambda and the event sources):
    one secret per run unless one is given, known to these two processes only."""
    secret = os.environ.get("SHOP_AWS_SECRET_ACCESS_KEY") or secrets.token_urlsafe(32)
    aws = local_aws(f"http://127.0.0.1:{port + 1}", secret)
    return [python_module("serverless-aws", "serverless.local.aws", port + 1, aws),
            python_module("serverless", "serverless.runner", port,
                          aws | {"OTEL_SERVICE_NAME": "serverless-runner"})]


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
    "microservices": Variant("microservices", 8200, microservices),
    "serverless": Variant("serverless", 8300, serverless, sql=False),
}

"""The gateway's application factory: `gunicorn 'microservices.gateway.app:create_app()'`."""

from collections.abc import Mapping

from flask import Flask

from microservices import config
from microservices.gateway import clients, routes
from shared import tracing, web


def create_app(settings: Mapping | None = None) -> Flask:
    """Build the app from `settings`, or from the environment when none are given."""
    app = Flask(__name__)
    app.config.from_mapping(config.from_env("gateway") if settings is None else settings)
    tracing.trace_app(app, "microservices-gateway")
    # Made here, after gunicorn forked: each worker has its own connection pools.
    app.extensions["clients"] = clients.Clients(app.config)
    web.install(app)
    app.register_blueprint(routes.api)
    return app

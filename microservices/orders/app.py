"""The orders service's application factory: `gunicorn 'microservices.orders.app:create_app()'`."""

from collections.abc import Mapping

from flask import Flask

from microservices import internal
from microservices.orders import clients, db, routes


def create_app(settings: Mapping | None = None) -> Flask:
    """Build the app from `settings`, or from the environment when none are given."""
    app = internal.service_app(__name__, "orders", db.metadata, routes.api, settings)
    db.add_new_columns(app.extensions["db"])
    # Made here, after gunicorn forked: each worker has its own connection pools.
    app.extensions["clients"] = clients.Clients(app.config)
    return app

"""The orders service's application factory: `gunicorn 'microservices.orders.app:create_app()'`."""

from collections.abc import Mapping

from flask import Flask

from microservices import config, database, internal
from microservices.orders import clients, db, routes
from shared import web


def create_app(settings: Mapping | None = None) -> Flask:
    """Build the app from `settings`, or from the environment when none are given."""
    app = Flask(__name__)
    app.config.from_mapping(config.from_env("orders") if settings is None else settings)
    app.extensions["db"] = database.open_database(
        app.config["DATABASE_URL"], app.config["DATABASE_SCHEMA"], db.metadata)
    # Made here, after gunicorn forked: each worker has its own Sessions and connections.
    app.extensions["clients"] = clients.Clients(app.config)
    web.install(app)
    internal.protect(app)
    app.register_blueprint(routes.api)
    return app

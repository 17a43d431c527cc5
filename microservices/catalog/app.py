"""The catalog's application factory: `gunicorn 'microservices.catalog.app:create_app()'`."""

from collections.abc import Mapping

from flask import Flask

from microservices import config, database, internal
from microservices.catalog import db, routes
from shared import web


def create_app(settings: Mapping | None = None) -> Flask:
    """Build the app from `settings`, or from the environment when none are given."""
    app = Flask(__name__)
    app.config.from_mapping(config.from_env("catalog") if settings is None else settings)
    app.extensions["db"] = database.open_database(
        app.config["DATABASE_URL"], app.config["DATABASE_SCHEMA"], db.metadata)
    web.install(app)
    internal.protect(app)
    app.register_blueprint(routes.api)
    return app

"""The orders service's application factory: `gunicorn 'services.orders.app:create_app()'`."""

from collections.abc import Mapping

from flask import Flask

from services import config, db
from services.orders import routes
from shared import database, tracing, web


def create_app(settings: Mapping | None = None) -> Flask:
    """Build the app from `settings`, or from the environment when none are given."""
    app = Flask(__name__)
    app.config.from_mapping(config.from_env() if settings is None else settings)
    tracing.trace_app(app, "services-orders")
    engine = database.make_engine(app.config["DATABASE_URL"])
    database.create_schema(engine, db.metadata)  # the whole shared schema, as the storefront does
    tracing.instrument_engine(engine)  # after the schema: its statements are no request's
    app.extensions["db"] = engine
    web.install(app)
    app.register_blueprint(routes.api)
    return app

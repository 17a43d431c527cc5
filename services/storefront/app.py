"""The storefront's application factory: `gunicorn 'services.storefront.app:create_app()'`."""

from collections.abc import Mapping

from flask import Flask

from services import config, db
from services.storefront import clients, routes
from shared import database, tracing, web


def create_app(settings: Mapping | None = None) -> Flask:
    """Build the app from `settings`, or from the environment when none are given."""
    app = Flask(__name__)
    app.config.from_mapping(config.from_env() if settings is None else settings)
    tracing.trace_app(app, "services-storefront")
    engine = database.make_engine(app.config["DATABASE_URL"])
    database.create_schema(engine, db.metadata)  # the whole shared schema, as orders does
    tracing.instrument_engine(engine)  # after the schema: its statements are no request's
    app.extensions["db"] = engine
    # Made here, after gunicorn forked: each worker has its own connection pool.
    app.extensions["orders"] = clients.OrdersClient(app.config["ORDERS_URL"],
                                                    app.config["ORDERS_TIMEOUT"])
    web.install(app)
    app.register_blueprint(routes.api)
    return app

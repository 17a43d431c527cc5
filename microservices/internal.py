"""What every internal service shares: its app's skeleton, and the internal token that lets
only the gateway and the other services call it.

Every call between services carries `X-Internal-Token: <SHOP_INTERNAL_TOKEN>`; an
internal service refuses any other call with a 401 before routing it. /health stays
open, so that the launcher and Docker can probe it.
"""

import hmac
from collections.abc import Mapping

from flask import Blueprint, Flask, current_app, request
from sqlalchemy import MetaData

from microservices import config, database
from shared import tracing, web
from shared.errors import Unauthorized

HEADER = "X-Internal-Token"


def service_app(import_name: str, service: str, metadata: MetaData, api: Blueprint,
                settings: Mapping | None) -> Flask:
    """An internal service's app, from `settings` or else the environment: its own database,
    the shop's error handling, the token check, its routes."""
    app = Flask(import_name)
    app.config.from_mapping(config.from_env(service) if settings is None else settings)
    tracing.trace_app(app, f"microservices-{service}")
    app.extensions["db"] = database.open_database(
        app.config["DATABASE_URL"], app.config["DATABASE_SCHEMA"], metadata)
    tracing.instrument_engine(app.extensions["db"])  # after the schema: no request's statements
    web.install(app)
    app.before_request(_check_token)
    app.register_blueprint(api)
    return app


def _check_token() -> None:
    if request.path == "/health":
        return
    expected = current_app.config["INTERNAL_TOKEN"].encode()
    given = request.headers.get(HEADER, "").encode()
    if not hmac.compare_digest(given, expected):  # constant time: no timing oracle
        raise Unauthorized("This is an internal service: calls come through the gateway.")

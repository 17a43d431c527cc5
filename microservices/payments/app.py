"""The payments service's application factory: `gunicorn 'microservices.payments.app:create_app()'`."""

from collections.abc import Mapping

from flask import Flask

from microservices import internal
from microservices.payments import db, routes


def create_app(settings: Mapping | None = None) -> Flask:
    """Build the app from `settings`, or from the environment when none are given."""
    return internal.service_app(__name__, "payments", db.metadata, routes.api, settings)

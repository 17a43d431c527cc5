"""The notifications service's application factory:
`gunicorn 'microservices.notifications.app:create_app()'`."""

from collections.abc import Mapping

from flask import Flask

from microservices import internal
from microservices.notifications import db, routes


def create_app(settings: Mapping | None = None) -> Flask:
    """Build the app from `settings`, or from the environment when none are given."""
    return internal.service_app(__name__, "notifications", db.metadata, routes.api, settings)

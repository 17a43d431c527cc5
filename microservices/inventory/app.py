"""The inventory's application factory: `gunicorn 'microservices.inventory.app:create_app()'`."""

from collections.abc import Mapping

from flask import Flask

from microservices import internal
from microservices.inventory import db, routes


def create_app(settings: Mapping | None = None) -> Flask:
    """Build the app from `settings`, or from the environment when none are given."""
    return internal.service_app(__name__, "inventory", db.metadata, routes.api, settings)

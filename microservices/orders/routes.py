"""The orders service's internal HTTP API: the contract's order routes, reached through the gateway.

The gateway has answered 404, 405, 401 and 413 already; the body is checked here, in
the contract's order, by the same code as in the monolith.
"""

from flask import Blueprint, current_app, request

from microservices.orders import services
from shared import validation
from shared.idempotency import fingerprint
from shared.web import json_body, json_response, stored_response

api = Blueprint("api", __name__)


def db():
    return current_app.extensions["db"]


def clients():
    return current_app.extensions["clients"]


@api.get("/health")
def health():
    return json_response({"status": "ok", "variant": "microservices", "service": "orders"})


@api.post("/orders")
def place_order():
    body = json_body()
    key = validation.idempotency_key(request.headers.get("Idempotency-Key"))
    order_request = validation.order_request(body)
    return stored_response(services.place_order(
        db(), clients(), order_request, key, fingerprint(body),
        current_app.config["IDEMPOTENCY_CLAIM_TIMEOUT"]))


@api.get("/orders/<order_id>")
def get_order(order_id):
    return json_response(services.get_order(db(), order_id).to_json())


@api.post("/orders/<order_id>/cancel")
def cancel_order(order_id):
    validation.optional_object(json_body(required=False))
    return json_response(services.cancel_order(db(), clients(), order_id).to_json())


@api.get("/orders")
def list_orders():
    email = validation.required_query(request.args.get("customer_email"), "customer_email")
    return json_response({"items": [o.to_json() for o in services.list_orders(db(), email)]})

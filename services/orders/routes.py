"""The orders service's HTTP API: the contract's order routes, reached through the storefront."""

from flask import Blueprint, current_app, request

from services.orders import services
from shared import validation
from shared.idempotency import fingerprint
from shared.web import json_body, json_response, require_admin, stored_response

api = Blueprint("api", __name__)


def db():
    return current_app.extensions["db"]


@api.get("/health")
def health():
    return json_response({"status": "ok", "variant": "services", "service": "orders"})


@api.post("/orders")
def place_order():
    body = json_body()
    key = validation.idempotency_key(request.headers.get("Idempotency-Key"))
    order_request = validation.order_request(body)
    return stored_response(services.place_order(
        db(), order_request, key, fingerprint(body), current_app.config["IDEMPOTENCY_CLAIM_TIMEOUT"]))


@api.get("/orders/<order_id>")
def get_order(order_id):
    return json_response(services.get_order(db(), order_id).to_json())


@api.post("/orders/<order_id>/cancel")
def cancel_order(order_id):
    validation.optional_object(json_body(required=False))
    return json_response(services.cancel_order(db(), order_id).to_json())


# The storefront checks the token first; checking it again here means that a
# process on this machine that is not the storefront cannot read orders either.
@api.get("/orders")
@require_admin
def list_orders():
    email = validation.required_query(request.args.get("customer_email"), "customer_email")
    return json_response({"items": [o.to_json() for o in services.list_orders(db(), email)]})


@api.get("/notifications")
@require_admin
def list_notifications():
    order_id = validation.required_query(request.args.get("order_id"), "order_id")
    return json_response({"items": services.list_notifications(db(), order_id)})

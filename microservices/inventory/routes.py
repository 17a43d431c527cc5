"""The inventory's internal HTTP API: stock levels, and the saga's reserve, commit and release.

Its callers are the gateway and orders, which have validated what they send (the
internal token says it is them), so bodies are read as they are.
"""

from flask import Blueprint, current_app, request

from microservices import bodies
from microservices.inventory import services
from shared import validation
from shared.errors import OrderNotFound
from shared.web import json_body, json_response

api = Blueprint("api", __name__)


def db():
    return current_app.extensions["db"]


@api.get("/health")
def health():
    return json_response({"status": "ok", "variant": "microservices", "service": "inventory"})


@api.get("/stock")
def levels():
    skus = request.args.getlist("sku") or None
    return json_response({"items": services.levels(db(), skus)})


@api.put("/stock/<sku>")
def add_item(sku):
    stock, created = services.add_item(db(), sku, bodies.stock_level(json_body()))
    return json_response({"sku": sku, "stock": stock}, 201 if created else 200)


@api.post("/stock/<sku>/restock")
def restock(sku):
    quantity = validation.restock_quantity(json_body())
    return json_response({"sku": sku, "stock": services.restock(db(), sku, quantity)})


@api.get("/reservations/<order_id>")
def get_reservation(order_id):
    state = services.state_of(db(), order_id)
    if state is None:
        raise OrderNotFound(f"There is no reservation for order {order_id}.")
    return json_response({"order_id": order_id, "state": state})


@api.post("/reservations")
def reserve():
    order_id, lines = bodies.reservation(json_body())
    state = services.reserve(db(), order_id, lines)
    return json_response({"order_id": order_id, "state": state}, 201)


@api.post("/reservations/<order_id>/commit")
def commit(order_id):
    return json_response({"order_id": order_id, "state": services.commit(db(), order_id)})


@api.post("/reservations/<order_id>/release")
def release(order_id):
    return json_response({"order_id": order_id, "state": services.release(db(), order_id)})

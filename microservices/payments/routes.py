"""The payment provider's internal HTTP API. Its one caller, orders, has validated the order."""

from flask import Blueprint, current_app

from microservices import bodies
from microservices.payments import services
from shared.errors import OrderNotFound
from shared.web import json_body, json_response

api = Blueprint("api", __name__)


def db():
    return current_app.extensions["db"]


@api.get("/health")
def health():
    return json_response({"status": "ok", "variant": "microservices", "service": "payments"})


@api.post("/payments")
def charge():
    order_id, method, amount = bodies.charge(json_body())
    status = services.charge(db(), order_id, method, amount)
    return json_response({"order_id": order_id, "status": status}, 201)


@api.get("/payments/<order_id>")
def get_payment(order_id):
    status = services.status_of(db(), order_id)
    if status is None:
        raise OrderNotFound(f"There is no payment for order {order_id}.")
    return json_response({"order_id": order_id, "status": status})


@api.post("/payments/<order_id>/refund")
def refund(order_id):
    return json_response({"order_id": order_id, "status": services.refund(db(), order_id)})

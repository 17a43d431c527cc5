"""The orders function: placing, reading, cancelling and listing orders."""

from serverless import services
from serverless.http import Request, Routes, admin, json_response, stored_response
from shared import validation
from shared.idempotency import fingerprint

api = Routes()


@api.route("POST /orders")
def place_order(request: Request) -> dict:
    body = request.json()
    key = validation.idempotency_key(request.header("Idempotency-Key"))
    order_request = validation.order_request(body)
    return stored_response(services.place_order(order_request, key, fingerprint(body)))


@api.route("GET /orders/{id}")
def get_order(request: Request) -> dict:
    return json_response(services.get_order(request.path("id")).to_json())


@api.route("POST /orders/{id}/cancel")
def cancel_order(request: Request) -> dict:
    validation.optional_object(request.json(required=False))
    return json_response(services.cancel_order(request.path("id")).to_json())


@api.route("GET /orders")
@admin
def list_orders(request: Request) -> dict:
    email = validation.required_query(request.query("customer_email"), "customer_email")
    return json_response({"items": [o.to_json() for o in services.list_orders(email)]})


handler = api.handler

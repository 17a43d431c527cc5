"""The monolith's HTTP API: parse the request, call one use case, shape the answer."""

from flask import Blueprint, current_app, request

from monolith import services
from shared import contract, validation
from shared.idempotency import fingerprint
from shared.web import json_body, json_response, openapi_response, require_admin, stored_response

api = Blueprint("api", __name__)


def db():
    return current_app.extensions["db"]


@api.get("/")
def index():
    return json_response(contract.index("monolith"))


@api.get("/openapi.yaml")
def openapi():
    return openapi_response()


@api.get("/health")
def health():
    return json_response({"status": "ok", "variant": "monolith"})


@api.get("/products")
def list_products():
    return json_response({"items": services.list_products(db())})


@api.get("/products/<sku>")
def get_product(sku):
    return json_response(services.get_product(db(), sku))


@api.post("/products")
@require_admin
def create_product():
    product = services.create_product(db(), validation.new_product(json_body()))
    return json_response(product, 201, {"Location": f"/products/{product['sku']}"})


@api.post("/products/<sku>/restock")
@require_admin
def restock(sku):
    quantity = validation.restock_quantity(json_body())
    return json_response(services.restock(db(), sku, quantity))


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

"""The storefront's HTTP API, the public one: the catalog is served here, order calls go to orders.

Every route of the contract is declared here, so unknown paths (404), wrong methods
(405), missing tokens (401) and oversized bodies (413) are answered before anything
crosses the network. What the body means is the orders service's business.
"""

from flask import Blueprint, Response, current_app, request

from services.storefront import services
from shared import contract, validation
from shared.web import json_body, json_response, openapi_response, raw_body, require_admin

api = Blueprint("api", __name__)


def db():
    return current_app.extensions["db"]


@api.get("/")
def index():
    return json_response(contract.index("services"))


@api.get("/openapi.yaml")
def openapi():
    return openapi_response()


@api.get("/health")
def health():
    return json_response({"status": "ok", "variant": "services"})


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
    return forward(raw_body())


@api.get("/orders/<order_id>")
def get_order(order_id):
    return forward()


@api.post("/orders/<order_id>/cancel")
def cancel_order(order_id):
    return forward(raw_body())


@api.get("/orders")
@require_admin
def list_orders():
    return forward()


@api.get("/notifications")
@require_admin
def list_notifications():
    return forward()


def forward(body: bytes | None = None) -> Response:
    """This request, passed on to the orders service; its answer, passed back."""
    answer = current_app.extensions["orders"].forward(
        request.method, request.path, list(request.args.items(multi=True)), request.headers, body)
    return Response(answer.body, answer.status, answer.headers)

"""The gateway's HTTP API, the public one: the whole contract, in the monolith's order.

Every route is declared here, so unknown paths (404), wrong methods (405), missing
tokens (401) and oversized bodies (413) are answered before anything crosses the
network. Products are composed here; order routes are passed on to orders, and the
notification list to notifications.
"""

from flask import Blueprint, Response, current_app, request

from microservices.gateway import clients as gateway_clients, services
from microservices.remote import Service
from shared import contract, validation
from shared.web import json_body, json_response, openapi_response, raw_body, require_admin

api = Blueprint("api", __name__)


def clients() -> gateway_clients.Clients:
    return current_app.extensions["clients"]


@api.get("/")
def index():
    return json_response(contract.index("microservices"))


@api.get("/openapi.yaml")
def openapi():
    return openapi_response()


@api.get("/health")
def health():
    return json_response({"status": "ok", "variant": "microservices"})


@api.get("/products")
def list_products():
    return json_response({"items": services.list_products(clients())})


@api.get("/products/<sku>")
def get_product(sku):
    return json_response(services.get_product(clients(), sku))


@api.post("/products")
@require_admin
def create_product():
    product = services.create_product(clients(), validation.new_product(json_body()))
    return json_response(product, 201, {"Location": f"/products/{product['sku']}"})


@api.post("/products/<sku>/restock")
@require_admin
def restock(sku):
    quantity = validation.restock_quantity(json_body())
    return json_response(services.restock(clients(), sku, quantity))


@api.post("/orders")
def place_order():
    return forward(clients().services["orders"], raw_body())


@api.get("/orders/<order_id>")
def get_order(order_id):
    return forward(clients().services["orders"])


@api.post("/orders/<order_id>/cancel")
def cancel_order(order_id):
    return forward(clients().services["orders"], raw_body())


@api.get("/orders")
@require_admin
def list_orders():
    return forward(clients().services["orders"])


@api.get("/notifications")
@require_admin
def list_notifications():
    return forward(clients().services["notifications"])


def forward(service: Service, body: bytes | None = None) -> Response:
    """This request, passed on to `service`; its answer, passed back."""
    answer = gateway_clients.forward(service, request.method, request.path,
                                     list(request.args.items(multi=True)), request.headers, body)
    return Response(answer.body, answer.status, answer.headers)

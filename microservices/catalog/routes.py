"""The catalog's internal HTTP API: products without their stock."""

from flask import Blueprint, current_app, request

from microservices.catalog import services
from shared import validation
from shared.web import json_body, json_response

api = Blueprint("api", __name__)


def db():
    return current_app.extensions["db"]


@api.get("/health")
def health():
    return json_response({"status": "ok", "variant": "microservices", "service": "catalog"})


@api.get("/products")
def list_products():
    skus = request.args.getlist("sku") or None  # ?sku=A&sku=B: just those (orders' prices)
    return json_response({"items": services.list_products(db(), skus)})


@api.get("/products/<sku>")
def get_product(sku):
    return json_response(services.get_product(db(), sku))


@api.post("/products")
def create_product():
    product = services.create_product(db(), validation.new_product(json_body()))
    return json_response(product, 201)


@api.delete("/products/<sku>")
def delete_product(sku):
    services.delete_product(db(), sku)
    return json_response({"sku": sku})

"""The products function: the catalog and its stock."""

from serverless import services
from serverless.http import Request, Routes, admin, json_response
from shared import validation

api = Routes()


@api.route("GET /products")
def list_products(request: Request) -> dict:
    return json_response({"items": services.list_products()})


@api.route("GET /products/{sku}")
def get_product(request: Request) -> dict:
    return json_response(services.get_product(request.path("sku")))


@api.route("POST /products")
@admin
def create_product(request: Request) -> dict:
    product = services.create_product(validation.new_product(request.json()))
    return json_response(product, 201, {"Location": f"/products/{product['sku']}"})


@api.route("POST /products/{sku}/restock")
@admin
def restock(request: Request) -> dict:
    quantity = validation.restock_quantity(request.json())
    return json_response(services.restock(request.path("sku"), quantity))


handler = api.handler

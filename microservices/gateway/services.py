"""The gateway's own use cases: a product is composed of the catalog's part and the inventory's.

A product is read from both side by side, the catalog's answer (a 404) deciding first.
A product exists once both services know it: the catalog first (it says whether the
SKU is taken), then the inventory; if the inventory cannot take it, the catalog entry
is undone, so that a retry is not told "duplicate".
"""

import logging
from urllib.parse import quote

from microservices.gateway.clients import Clients
from microservices.remote import side_by_side
from shared.errors import ProductNotFound, ShopError
from shared.orders import NewProduct

log = logging.getLogger("shop")


def list_products(clients: Clients) -> list[dict]:
    asked = side_by_side(clients.pool, clients.services["inventory"].call, "GET", "/stock")
    products = clients.services["catalog"].call("GET", "/products")["items"]
    stock = asked.result()["items"]
    return [product | {"stock": stock[product["sku"]]}
            for product in products if product["sku"] in stock]


def get_product(clients: Clients, sku: str) -> dict:
    asked = side_by_side(clients.pool, clients.services["inventory"].call, "GET", "/stock",
                         params={"sku": sku})
    product = clients.services["catalog"].call("GET", f"/products/{quote(sku, safe='')}")
    stock = asked.result()["items"]
    if sku not in stock:  # half made: the inventory never took it
        raise ProductNotFound(f"There is no product {sku}.")
    return product | {"stock": stock[sku]}


def create_product(clients: Clients, product: NewProduct) -> dict:
    created = clients.services["catalog"].call("POST", "/products", json={
        "sku": product.sku, "name": product.name, "price_cents": product.price_cents})
    try:
        stock = clients.services["inventory"].call("PUT", f"/stock/{product.sku}",
                                                   json={"stock": product.stock})
    except ShopError:
        _undo_create(clients, product.sku)
        raise
    return created | {"stock": stock["stock"]}


def _undo_create(clients: Clients, sku: str) -> None:
    try:
        clients.services["catalog"].call("DELETE", f"/products/{sku}")
    except ShopError as error:  # the catalog went away too: the product stays invisible
        log.warning("could not undo the catalog entry of %s: %s", sku, error.detail)


def restock(clients: Clients, sku: str, quantity: int) -> dict:
    stock = clients.services["inventory"].call("POST", f"/stock/{quote(sku, safe='')}/restock",
                                   json={"quantity": quantity})
    product = clients.services["catalog"].call("GET", f"/products/{quote(sku, safe='')}")
    return product | {"stock": stock["stock"]}

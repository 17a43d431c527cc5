"""The storefront's own use cases, the catalog. Each is ONE transaction in the shared database."""

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from services.storefront import repository as repo
from shared import database
from shared.errors import DuplicateSku, ProductNotFound
from shared.orders import NewProduct


def list_products(engine: Engine) -> list[dict]:
    with database.reading(engine) as conn:
        return repo.list_products(conn)


def get_product(engine: Engine, sku: str) -> dict:
    with database.reading(engine) as conn:
        product = repo.get_product(conn, sku)
    if product is None:
        raise ProductNotFound(f"There is no product {sku}.")
    return product


def create_product(engine: Engine, product: NewProduct) -> dict:
    try:
        with engine.begin() as conn:
            repo.add_product(conn, product)
    except IntegrityError:
        raise DuplicateSku(f"A product {product.sku} exists already.") from None
    return vars(product)


def restock(engine: Engine, sku: str, quantity: int) -> dict:
    with engine.begin() as conn:
        repo.add_stock(conn, sku, quantity)
        product = repo.get_product(conn, sku)
    if product is None:
        raise ProductNotFound(f"There is no product {sku}.")
    return product

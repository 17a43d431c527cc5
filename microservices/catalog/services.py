"""The catalog's use cases, each one transaction in the catalog's own database."""

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from microservices.catalog import repository as repo
from shared import database
from shared.errors import DuplicateSku, ProductNotFound
from shared.orders import NewProduct


def list_products(engine: Engine, skus: list[str] | None = None) -> list[dict]:
    with database.reading(engine) as conn:
        return repo.list_products(conn, skus)


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
    return {"sku": product.sku, "name": product.name, "price_cents": product.price_cents}


def delete_product(engine: Engine, sku: str) -> None:
    """The gateway's undo when the inventory could not take a new product's stock."""
    with engine.begin() as conn:
        repo.delete_product(conn, sku)

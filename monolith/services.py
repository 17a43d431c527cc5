"""The monolith's use cases. Each is ONE database transaction: all of it happens, or none."""

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from monolith import idempotency, repository as repo
from shared import database, notifications, payments
from shared.errors import DuplicateSku, OrderNotFound, ProductNotFound, UnknownProduct
from shared.idempotency import StoredResponse, placed
from shared.orders import OUT_OF_STOCK, PAYMENT_DECLINED, NewProduct, Order, OrderRequest
from shared.settings import CLAIM_TIMEOUT_SECONDS


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


def place_order(engine: Engine, request: OrderRequest, key: str | None = None,
                fingerprint: str = "",
                claim_timeout: float = CLAIM_TIMEOUT_SECONDS) -> StoredResponse:
    if key is None:
        with engine.begin() as conn:
            return _place(conn, request)
    claimed = idempotency.keys.claim(engine, key, fingerprint, claim_timeout)
    if isinstance(claimed, StoredResponse):
        return claimed
    try:
        with engine.begin() as conn:
            response = _place(conn, request)
            idempotency.keys.complete(conn, key, claimed, response)
        return response
    except BaseException:
        idempotency.keys.release(engine, key, claimed)
        raise


def _place(conn, request: OrderRequest) -> StoredResponse:
    """Reserve stock, take payment, record the order and its notification: one transaction."""
    locked = repo.lock_products(conn, request.skus)
    if unknown := request.unknown_skus(locked):
        raise UnknownProduct(f"Unknown products: {', '.join(unknown)}.", skus=unknown)
    order = Order.place(request, {sku: p["price_cents"] for sku, p in locked.items()})
    short = request.short_skus({sku: p["stock"] for sku, p in locked.items()})
    if short:
        order = order.reject(OUT_OF_STOCK)
    elif payments.charge(request.payment_method) == payments.DECLINED:
        order = order.reject(PAYMENT_DECLINED, payment_status=payments.DECLINED)
    else:
        order = order.confirm()
        repo.move_stock(conn, order.lines, -1)
    repo.add_order(conn, order, request.payment_method)
    _notify(conn, order)
    return placed(order, short)


def get_order(engine: Engine, order_id: str) -> Order:
    with database.reading(engine) as conn:
        order = repo.get_order(conn, order_id)
    if order is None:
        raise OrderNotFound(f"There is no order {order_id}.")
    return order


def cancel_order(engine: Engine, order_id: str) -> Order:
    """Refund, give the stock back and tell the customer: one transaction."""
    with engine.begin() as conn:
        order = repo.get_order(conn, order_id, lock=True)
        if order is None:
            raise OrderNotFound(f"There is no order {order_id}.")
        cancelled = order.cancel()
        repo.move_stock(conn, order.lines, +1)
        repo.save_status(conn, cancelled)
        _notify(conn, cancelled)
        return cancelled


def _notify(conn, order: Order) -> None:
    if notification := notifications.for_order(order):
        repo.add_notification(conn, notification)


def list_orders(engine: Engine, customer_email: str) -> list[Order]:
    with database.reading(engine) as conn:
        return repo.orders_for(conn, customer_email)


def list_notifications(engine: Engine, order_id: str) -> list[dict]:
    with database.reading(engine) as conn:
        return repo.notifications_for(conn, order_id)

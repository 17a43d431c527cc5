"""The serverless variant's use cases.

DynamoDB has no transaction that spans reads and writes, so a use case reads, decides with the
shared domain rules, and commits its writes in one TransactWriteItems whose conditions check
that what it read still holds (enough stock, an order still confirmed). If one does not, it
reads again and decides again. No use case publishes an event: the orders table's stream
carries each committed change to the publisher (handlers/publisher.py).
"""

import re

from serverless import dynamodb, idempotency, notifications, repository as repo
from shared import payments
from shared.errors import DuplicateSku, IdempotencyKeyInUse, OrderNotFound, ProductNotFound, UnknownProduct
from shared.idempotency import StoredResponse, placed
from shared.orders import CONFIRMED, OUT_OF_STOCK, PAYMENT_DECLINED, NewProduct, Order, OrderRequest
from shared.validation import EMAIL, SKU

# What the ids this shop makes look like; nothing else can be found (and DynamoDB refuses long keys).
ORDER_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def list_products() -> list[dict]:
    return repo.list_products()


def get_product(sku: str) -> dict:
    product = repo.get_product(sku) if SKU.fullmatch(sku) else None
    if product is None:
        raise ProductNotFound(f"There is no product {sku}.")
    return product


def create_product(product: NewProduct) -> dict:
    try:
        repo.add_product(product)
    except dynamodb.Conflict:
        raise DuplicateSku(f"A product {product.sku} exists already.") from None
    return vars(product)


def restock(sku: str, quantity: int) -> dict:
    product = repo.add_stock(sku, quantity) if SKU.fullmatch(sku) else None
    if product is None:
        raise ProductNotFound(f"There is no product {sku}.")
    return product


def place_order(request: OrderRequest, key: str | None = None,
                fingerprint: str = "") -> StoredResponse:
    if key is None:
        return _place(request)
    claimed = idempotency.claim(key, fingerprint)
    if isinstance(claimed, StoredResponse):
        return claimed
    try:
        return _place(request, key, claimed)
    except BaseException:
        idempotency.release(key, claimed)
        raise


def _place(request: OrderRequest, key: str | None = None, token: str | None = None) -> StoredResponse:
    """Read the products, decide, then record order, stock and key in one transaction."""
    sequence = repo.next_sequence()
    for _ in dynamodb.attempts():
        products = repo.get_products(request.skus)
        if unknown := request.unknown_skus(products):
            raise UnknownProduct(f"Unknown products: {', '.join(unknown)}.", skus=unknown)
        order = Order.place(request, {sku: p["price_cents"] for sku, p in products.items()})
        short = request.short_skus({sku: p["stock"] for sku, p in products.items()})
        order = _decide(order, request, short)
        response = placed(order, short)
        writes = [repo.put_order(order, request.payment_method, sequence)]
        writes += repo.take_stock(order.lines) if order.status == CONFIRMED else []
        writes += [idempotency.complete(key, token, response)] if key and token else []
        try:
            dynamodb.commit(writes)
        except dynamodb.Conflict:
            if key and token and not idempotency.still_ours(key, token):
                raise IdempotencyKeyInUse("This request's claim on its key was taken over.") from None
            continue  # the stock changed since we read it: look again
        return response  # the orders table's stream carries the order to the publisher
    raise dynamodb.too_busy()


def _decide(order: Order, request: OrderRequest, short: list[str]) -> Order:
    if short:
        return order.reject(OUT_OF_STOCK)
    # The fake provider only decides. A real one would authorize here and capture after the commit.
    if payments.charge(request.payment_method) == payments.DECLINED:
        return order.reject(PAYMENT_DECLINED, payment_status=payments.DECLINED)
    return order.confirm()


def get_order(order_id: str) -> Order:
    order = repo.get_order(order_id) if ORDER_ID.fullmatch(order_id) else None
    if order is None:
        raise OrderNotFound(f"There is no order {order_id}.")
    return order


def cancel_order(order_id: str) -> Order:
    """Refund and give the stock back in one transaction, if the order is still confirmed."""
    for _ in dynamodb.attempts():
        order = get_order(order_id)
        cancelled = order.cancel()
        try:
            dynamodb.commit([repo.mark_cancelled(cancelled), *repo.give_back_stock(order.lines)])
        except dynamodb.Conflict:
            continue  # cancelled by someone else meanwhile: the next look says so
        return cancelled
    raise dynamodb.too_busy()


def list_orders(customer_email: str) -> list[Order]:
    if len(customer_email) > 254 or not EMAIL.fullmatch(customer_email):
        return []  # no order was placed with such an address
    return repo.orders_for(customer_email)


def list_notifications(order_id: str) -> list[dict]:
    return notifications.for_order(order_id) if ORDER_ID.fullmatch(order_id) else []

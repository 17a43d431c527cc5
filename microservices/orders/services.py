"""The orders service's use cases; "place order" is a saga over three other services.

There is no transaction around the whole: each step is a call to a service that is
idempotent by order id, and each step's undo is noted before the step is tried. The
outcome and the messages it calls for (commit, release, refund, notification) are
stored in ONE local transaction with the outbox; a failure part way stores the undo
messages instead. Either way the outbox delivers them until they land. A saga whose
process died part way is ended by recovery (recovery.py), through the same log (sagas.py).
"""

from concurrent.futures import Future

from sqlalchemy import Engine

from microservices.orders import idempotency, outbox, repository as repo, sagas
from microservices.orders.clients import Clients
from microservices.orders.messages import commit, notify, refund, release
from microservices.orders.outbox import Message
from shared import database, payments
from shared.errors import OrderNotFound, OutOfStock, ServiceUnavailable, UnknownProduct
from shared.idempotency import StoredResponse, placed
from shared.orders import OUT_OF_STOCK, PAYMENT_DECLINED, Order, OrderRequest
from shared.settings import CLAIM_TIMEOUT_SECONDS


def place_order(engine: Engine, clients: Clients, request: OrderRequest, key: str | None = None,
                fingerprint: str = "",
                claim_timeout: float = CLAIM_TIMEOUT_SECONDS) -> StoredResponse:
    # The catalog is asked in another thread, while the key is claimed, the saga started and
    # the stock reserved, none of which needs the prices. A read: nothing is lost when the
    # claim ends the request (a replay, a key in use) and its answer goes unused.
    prices = clients.prices_soon(request.skus)
    if key is None:
        return _place(engine, clients, request, prices)
    claimed = idempotency.keys.claim(engine, key, fingerprint, claim_timeout)
    if isinstance(claimed, StoredResponse):
        return claimed
    try:
        return _place(engine, clients, request, prices, key, claimed)
    except BaseException:
        idempotency.keys.release(engine, key, claimed)  # no outcome: the key may be used again
        raise


def _place(engine: Engine, clients: Clients, request: OrderRequest, prices: Future,
           key: str | None = None, claim: str | None = None) -> StoredResponse:
    order = Order.start(request)
    with engine.begin() as conn:
        sagas.start(conn, order, request.payment_method, key, claim)  # pending: never shown
    undo: list[Message] = []
    try:
        order, short, messages = _saga(engine, clients, order, request, prices, undo)
        response = placed(order, short)
        with engine.begin() as conn:
            stored = sagas.conclude(conn, order, response, messages, key, claim)
    except BaseException:
        _give_up(engine, clients, order, undo, key, claim)
        raise
    outbox.deliver_now(engine, clients.services, stored)
    return response


def _saga(engine: Engine, clients: Clients, order: Order, request: OrderRequest, prices: Future,
          undo: list[Message]):
    """Reserve, price, charge; the order's outcome, the short SKUs and the messages it calls for."""
    undo.append(release(order.id))
    short = _reserve(clients, order.id, request)
    order = order.priced(request, _known(request, prices.result()))  # unknown SKUs come first
    with engine.begin() as conn:
        sagas.priced(conn, order)
    if short:
        return order.reject(OUT_OF_STOCK), short, []
    undo.append(refund(order.id))
    status = clients.charge(order, request.payment_method)
    if status == payments.DECLINED:
        return order.reject(PAYMENT_DECLINED, payments.DECLINED), [], [release(order.id)]
    if status != payments.CAPTURED:  # voided: an earlier attempt of this saga was undone
        raise ServiceUnavailable(f"The payment for order {order.id} was voided.")
    confirmed = order.confirm()
    return confirmed, [], [commit(order.id), *notify(confirmed)]


def _reserve(clients: Clients, order_id: str, request: OrderRequest) -> list[str]:
    """The SKUs short of stock (nothing was reserved then), or none: all lines are reserved."""
    try:
        clients.reserve(order_id, request)
    except OutOfStock as error:
        return error.extensions["skus"]
    return []


def _known(request: OrderRequest, prices: dict[str, int]) -> dict[str, int]:
    if unknown := request.unknown_skus(prices):
        raise UnknownProduct(f"Unknown products: {', '.join(unknown)}.", skus=unknown)
    return prices


def _give_up(engine: Engine, clients: Clients, order: Order, undo: list[Message],
             key: str | None, claim: str | None) -> None:
    """A step failed part way: the order is failed, and what was done is undone."""
    with engine.begin() as conn:
        stored = sagas.abandon(conn, order.id, undo, key, claim)
    outbox.deliver_now(engine, clients.services, stored)


def get_order(engine: Engine, order_id: str) -> Order:
    with database.reading(engine) as conn:
        order = repo.get_order(conn, order_id)
    if order is None:
        raise OrderNotFound(f"There is no order {order_id}.")
    return order


def cancel_order(engine: Engine, clients: Clients, order_id: str) -> Order:
    """Decided here, in one local transaction with its refund, release and notification."""
    with engine.begin() as conn:
        order = repo.get_order(conn, order_id, lock=True)
        if order is None:
            raise OrderNotFound(f"There is no order {order_id}.")
        cancelled = order.cancel()
        repo.save_status(conn, cancelled)
        stored = outbox.add(conn, [refund(order_id), release(order_id), *notify(cancelled)])
    outbox.deliver_now(engine, clients.services, stored)
    return cancelled


def list_orders(engine: Engine, customer_email: str) -> list[Order]:
    with database.reading(engine) as conn:
        return repo.orders_for(conn, customer_email)

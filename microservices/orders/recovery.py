"""Recovery: sagas in doubt are ended without an operator. The relay runs it when it starts
and every few seconds.

A saga is in doubt when its row outlives the recovery timeout: the request that ran it died
(its process was killed) or is stuck. The services it called are idempotent by order id and
remember what they did, so recovery asks them and ends the saga as it would have ended:

  reservation held, payment captured    -> confirmed (commit, notification), the key's 201
  reservation held, payment declined    -> rejected (release), the key's 402
  anything else (nothing yet, released) -> failed: stock released, payment refunded or voided
                                           (so that a late charge takes nothing), key freed
"""

import logging
import time

from sqlalchemy import Engine

from microservices.orders import repository as repo, sagas
from microservices.orders.clients import HELD, Clients
from microservices.orders.messages import commit, notify, refund, release
from shared import database, payments
from shared.errors import ShopError
from shared.idempotency import placed
from shared.orders import PAYMENT_DECLINED, PENDING

log = logging.getLogger("shop")


def recover(engine: Engine, clients: Clients, timeout: float) -> int:
    """End every saga older than `timeout` seconds whose services answer; how many ended."""
    with database.reading(engine) as conn:
        in_doubt = repo.sagas_started_before(conn, time.time() - timeout)
    ended = 0
    for saga in in_doubt:
        try:
            ended += resolve(engine, clients, saga)
        except ShopError as error:  # a service did not answer: the next round tries again
            log.warning("recovery: order %s not ended yet: %s", saga.order_id, error.detail)
    return ended


def resolve(engine: Engine, clients: Clients, saga) -> bool:
    """End one saga as the state of its services says; False if it had ended meanwhile."""
    held = clients.reservation(saga.order_id) in HELD
    paid = clients.payment(saga.order_id)
    key, claim = saga.idempotency_key, saga.claim
    with engine.begin() as conn:
        order = repo.pending_order(conn, saga.order_id)
        if order is None:
            return False  # its own request ended it after all
        if held and paid == payments.CAPTURED:
            order = order.confirm()
            sagas.conclude(conn, order, placed(order), [commit(order.id), *notify(order)], key, claim)
        elif held and paid == payments.DECLINED:
            order = order.reject(PAYMENT_DECLINED, payments.DECLINED)
            sagas.conclude(conn, order, placed(order), [release(order.id)], key, claim)
        else:
            sagas.abandon(conn, order.id, [release(order.id), refund(order.id)], key, claim)
    log.info("recovery: order %s in doubt ended %s", order.id,
             order.status if order.status != PENDING else "failed, its steps undone")
    return True

"""The outbox relay, its own small process: `python -m microservices.orders.relay`.

It polls the orders database for undelivered messages and delivers them, so that a
notification reaches the notifications service, and an undo reaches inventory or
payments, however long they were down. When it starts, and every second after, it also
runs recovery (recovery.py), which ends the sagas whose process died part way. A process
of its own rather than a thread in each gunicorn worker: exactly one relay runs, whatever
the number of workers, and it shows up as what it is in `ps` and in the launcher's log.
"""

import logging
import signal
import sys
import threading
import time
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from microservices import config, database
from microservices.orders import clients, db, outbox, recovery
from shared import tracing
from shared.settings import ConfigError

POLL_SECONDS = 0.2
RECOVERY_EVERY_SECONDS = 1.0
log = logging.getLogger("shop")


def run(settings: dict, stop: threading.Event) -> None:
    from opentelemetry.instrumentation.utils import suppress_instrumentation  # loaded only here
    engine = database.open_database(settings["DATABASE_URL"], settings["DATABASE_SCHEMA"],
                                    db.metadata)
    db.add_new_columns(engine)
    tracing.configure("microservices-relay")
    tracing.instrument_engine(engine)
    others = clients.Clients(settings)
    log.info("relay: delivering the orders outbox every %s s, recovering sagas in doubt "
             "after %s s", POLL_SECONDS, settings["ORDERS_RECOVERY_TIMEOUT"])
    heartbeat = settings.get("RELAY_HEARTBEAT_FILE")
    next_recovery = 0.0  # at once: what a crash left in doubt is ended before anything else
    while not stop.is_set():
        if heartbeat:
            Path(heartbeat).touch()
        # Polls untraced, or they would bury every request's trace: a delivery continues the
        # trace of the request that wrote its message (outbox.py).
        try:
            with suppress_instrumentation():
                if time.monotonic() >= next_recovery:
                    recovery.recover(engine, others, settings["ORDERS_RECOVERY_TIMEOUT"])
                    next_recovery = time.monotonic() + RECOVERY_EVERY_SECONDS
                outbox.deliver(engine, others.services)
        except SQLAlchemyError:  # the database is away for a moment: try again next round
            log.exception("relay: reading the orders database failed")
        stop.wait(POLL_SECONDS)
    engine.dispose()


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    try:
        settings = config.from_env("orders")
    except ConfigError as error:
        print(f"relay: {error}", file=sys.stderr)
        return 1
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    run(settings, stop)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

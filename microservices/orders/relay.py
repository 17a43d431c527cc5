"""The outbox relay, its own small process: `python -m microservices.orders.relay`.

It polls the orders database for undelivered messages and delivers them, so that a
notification reaches the notifications service, and an undo reaches inventory or
payments, however long they were down. A process of its own rather than a thread in
each gunicorn worker: exactly one relay runs, whatever the number of workers, and it
shows up as what it is in `ps` and in the launcher's log.
"""

import logging
import signal
import sys
import threading
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from microservices import config, database
from microservices.orders import clients, db, outbox
from shared.settings import ConfigError

POLL_SECONDS = 0.2
log = logging.getLogger("shop")


def run(settings: dict, stop: threading.Event) -> None:
    engine = database.open_database(settings["DATABASE_URL"], settings["DATABASE_SCHEMA"],
                                    db.metadata)
    services = clients.Clients(settings).services
    log.info("relay: delivering the orders outbox every %s s", POLL_SECONDS)
    heartbeat = settings.get("RELAY_HEARTBEAT_FILE")
    while not stop.is_set():
        if heartbeat:
            Path(heartbeat).touch()
        try:
            outbox.deliver(engine, services)
        except SQLAlchemyError:  # the database is away for a moment: try again next round
            log.exception("relay: reading the outbox failed")
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

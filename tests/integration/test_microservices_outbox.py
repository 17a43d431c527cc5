"""The outbox and its relay over real HTTP: a message stored with its state change is delivered
once its target answers, retried with capped back-off until then, and stored there only once."""

import threading
import time

import pytest
from sqlalchemy import event, insert, select, update
from werkzeug.serving import make_server

from microservices import database
from microservices.notifications.app import create_app as create_notifications
from microservices.orders import outbox, relay
from microservices.orders.db import metadata, outbox as outbox_table
from microservices.remote import Service
from tests.contract.launch import free_base_port
from tests.integration.microservices_apps import INTERNAL, TOKEN

EVENT = {"event_id": "o-1:order_confirmed", "order_id": "o-1", "kind": "order_confirmed",
         "recipient": "ada@example.com", "created_at": "2026-11-23T10:00:00.000Z"}


@pytest.fixture
def engine(settings_for):
    settings = settings_for("orders")
    engine = database.open_database(settings["DATABASE_URL"], "orders", metadata)
    yield engine
    engine.dispose()


@pytest.fixture
def port():
    return free_base_port()


@pytest.fixture
def notifications_app(settings_for):
    app = create_notifications(settings_for("notifications"))
    yield app
    app.extensions["db"].dispose()


class Served:
    """The notifications app on a real port, in a thread, until stopped."""

    def __init__(self, app, port):
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def services_at(port) -> dict[str, Service]:
    return {"notifications": Service("notifications", f"http://127.0.0.1:{port}", TOKEN, (0.5, 1.0))}


def message_state(engine, seq):
    with engine.begin() as conn:
        return conn.execute(select(outbox_table).where(outbox_table.c.seq == seq)).one()


def stored(app) -> list[dict]:
    return app.test_client().get("/notifications", query_string={"order_id": "o-1"},
                                 headers=INTERNAL).get_json()["items"]


def test_a_message_waits_backs_off_and_is_delivered_once_its_target_is_back(
        engine, port, notifications_app):
    with engine.begin() as conn:
        [message] = outbox.add(conn, [outbox.Message("notifications", "/events", EVENT)])
    seq = message.seq
    services = services_at(port)

    assert outbox.deliver(engine, services) == 0  # nothing listens yet
    first = message_state(engine, seq)
    assert first.attempts == 1 and first.delivered_at is None
    assert first.next_attempt_at > time.time()
    assert outbox.deliver(engine, services) == 0  # not due again yet: no second try
    assert message_state(engine, seq).attempts == 1

    served = Served(notifications_app, port)
    try:
        time.sleep(outbox.backoff(0))
        assert outbox.deliver(engine, services) == 1
        assert outbox.deliver(engine, services) == 0  # delivered: never sent again
        # Delivered twice after all (a relay dies between sending and marking): stored once.
        with engine.begin() as conn:
            conn.execute(update(outbox_table).values(delivered_at=None))
        assert outbox.deliver(engine, services) == 1
    finally:
        served.stop()
    assert [n["kind"] for n in stored(notifications_app)] == ["order_confirmed"]


def test_back_off_doubles_and_is_capped():
    assert [outbox.backoff(n) for n in range(5)] == [0.25, 0.5, 1.0, 2.0, 2.0]


def test_deliver_now_leaves_notifications_to_the_relay(engine, port, notifications_app):
    with engine.begin() as conn:
        [message] = outbox.add(conn, [outbox.Message("notifications", "/events", EVENT)])
    served = Served(notifications_app, port)
    try:
        outbox.deliver_now(engine, services_at(port), [message])
        assert message_state(engine, message.seq).delivered_at is None
        assert stored(notifications_app) == []
    finally:
        served.stop()


def test_the_relay_process_loop_delivers_and_stops_on_request(settings_for, port, notifications_app):
    settings = settings_for("orders", NOTIFICATIONS_URL=f"http://127.0.0.1:{port}")
    engine = database.open_database(settings["DATABASE_URL"], "orders", metadata)
    with engine.begin() as conn:
        outbox.add(conn, [outbox.Message("notifications", "/events", EVENT)])
    engine.dispose()
    served, stop = Served(notifications_app, port), threading.Event()
    loop = threading.Thread(target=relay.run, args=(settings, stop))
    loop.start()
    try:
        deadline = time.monotonic() + 5
        while not stored(notifications_app):
            assert time.monotonic() < deadline, "the relay did not deliver"
            time.sleep(0.05)
    finally:
        stop.set()
        loop.join(timeout=5)
        served.stop()
    assert not loop.is_alive()
    assert len(stored(notifications_app)) == 1


def _poll_steps(engine) -> int:
    """SQLite's virtual-machine steps for one relay poll that finds nothing due."""
    steps = 0

    def count():
        nonlocal steps
        steps += 1
        return 0  # go on

    def watch(dbapi_connection, _record, _proxy):
        dbapi_connection.set_progress_handler(count, 1)

    event.listen(engine, "checkout", watch)
    try:
        outbox.deliver(engine, {})
    finally:
        event.remove(engine, "checkout", watch)
    return steps


def test_a_relay_poll_costs_the_same_with_thousands_of_messages_delivered(tmp_path):
    engine = database.open_database(f"sqlite:///{tmp_path}/orders.db", "orders", metadata)
    delivered = {"target": "notifications", "path": "/events", "payload": "{}",
                 "attempts": 1, "next_attempt_at": 0.0, "delivered_at": 1.0}
    try:
        with engine.begin() as conn:
            conn.execute(insert(outbox_table), [delivered] * 30)
        few = _poll_steps(engine)
        with engine.begin() as conn:
            conn.execute(insert(outbox_table), [delivered] * 30_000)
        many = _poll_steps(engine)
    finally:
        engine.dispose()
    assert few > 0 and many < 2 * few, f"{few} steps with 30 messages delivered, {many} with 30,030"

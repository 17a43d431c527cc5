"""The local AWS: its one guarantee on top of moto (DynamoDB calls run one at a time) and its
health (what it keeps on disk: test_serverless_local_store.py).

moto applies a TransactWriteItems item by item and undoes a refused one by putting back a copy
of whole tables, so two calls that overlap can lose each other's writes. Whether the contract's
concurrency tests would catch that depends on thread timing; this test does not: it counts how
many calls are inside moto at once.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from serverless.local import changes
from serverless.local.aws import HEALTH, STARTING, OneDynamoDbCallAtATime

CALLS = 16


class SlowApp:
    """Stands in for moto: each call takes a moment, and the most that overlapped is counted."""

    def __init__(self):
        self.inside, self.most = 0, 0
        self.count = threading.Lock()

    def __call__(self, environ, start_response):
        with self.count:
            self.inside += 1
            self.most = max(self.most, self.inside)
        time.sleep(0.01)
        with self.count:
            self.inside -= 1
        start_response("200 OK", [])
        return [b"{}"]


def most_at_once(target: str) -> int:
    app = SlowApp()
    middleware = OneDynamoDbCallAtATime(app)
    environ = {"PATH_INFO": "/", "HTTP_X_AMZ_TARGET": target}
    with ThreadPoolExecutor(CALLS) as pool:
        answers = list(pool.map(lambda _: middleware(dict(environ), lambda *a: None), range(CALLS)))
    assert answers == [[b"{}"]] * CALLS
    return app.most


def test_dynamodb_calls_never_overlap():
    assert most_at_once("DynamoDB_20120810.TransactWriteItems") == 1


def test_stream_calls_take_the_same_lock_as_dynamodb_calls():
    assert most_at_once("DynamoDBStreams_20120810.GetRecords") == 1


def test_other_services_are_not_held_up():
    # SQS long polls must not wait for, or hold up, DynamoDB calls.
    assert most_at_once("AmazonSQS.ReceiveMessage") > 1


def test_health_says_ok_only_once_the_saved_tables_are_loaded():
    middleware, statuses = OneDynamoDbCallAtATime(None), []
    def health():
        return middleware({"PATH_INFO": "/health"}, lambda status, _: statuses.append(status))
    assert health() == [STARTING]
    middleware.ready.set()
    assert health() == [HEALTH]
    assert statuses == ["503 Service Unavailable", "200 OK"]


class Journal:
    def __init__(self):
        self.written = []

    def write(self, changed):
        self.written.append(changed)


@pytest.mark.parametrize("target", ["DynamoDB_20120810.PutItem", "AmazonSQS.SendMessage",
                                    "AmazonSQS.ReceiveMessage"])
def test_what_a_call_changed_is_written_before_it_is_answered(target):
    journal = Journal()

    def moto(environ, start_response):
        changes._note("item", "backend", "table", {"k": {"S": "1"}})
        start_response("200 OK", [])
        return iter([b"{}"])
    # werkzeug sends the answer once the middleware returns it, and not before.
    answer = OneDynamoDbCallAtATime(moto, journal)({"PATH_INFO": "/", "HTTP_X_AMZ_TARGET": target},
                                                   lambda *a: None)
    assert answer == [b"{}"] and journal.written == [[("item", "backend", "table", {"k": {"S": "1"}})]]


def test_a_call_that_changed_nothing_writes_nothing():
    journal = Journal()
    OneDynamoDbCallAtATime(SlowApp(), journal)(
        {"PATH_INFO": "/", "HTTP_X_AMZ_TARGET": "DynamoDB_20120810.GetItem"}, lambda *a: None)
    assert journal.written == []

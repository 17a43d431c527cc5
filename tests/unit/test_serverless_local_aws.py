"""The local AWS's one guarantee on top of moto: DynamoDB calls run one at a time.

moto applies a TransactWriteItems item by item and undoes a refused one by putting back a copy
of whole tables, so two calls that overlap can lose each other's writes. Whether the contract's
concurrency tests would catch that depends on thread timing; this test does not: it counts how
many calls are inside moto at once.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from serverless.local.aws import HEALTH, OneDynamoDbCallAtATime

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


def test_other_services_are_not_held_up():
    # SQS long polls must not wait for, or hold up, DynamoDB calls.
    assert most_at_once("AmazonSQS.ReceiveMessage") > 1


def test_health_answers_without_moto():
    status = []
    answer = OneDynamoDbCallAtATime(None)({"PATH_INFO": "/health"}, lambda *a: status.append(a[0]))
    assert (status, answer) == (["200 OK"], [HEALTH])

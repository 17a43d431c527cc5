"""The local AWS: a moto server on a loopback port, with one guarantee added.

moto applies a TransactWriteItems item by item, and undoes a refused one by restoring a copy
of the tables it touched. With requests running side by side, one could read half of another's
transaction, or lose its own write to another's undo. Real DynamoDB makes every call atomic.
Here one lock runs a single DynamoDB call at a time, which gives every call that atomicity
(and more isolation than DynamoDB promises for Query and Scan: see docs/serverless.md).

Run: python -m serverless.local.aws --port 8301
"""

import argparse
import logging
import signal
import sys
import threading

from moto.moto_server.werkzeug_app import (DomainDispatcherApplication, MotoRequestHandler,
                                           create_backend_app)
from werkzeug.serving import make_server

HEALTH = b'{"status": "ok", "service": "local AWS (moto)"}'


class OneDynamoDbCallAtATime:
    """WSGI middleware around moto: the lock above, and GET /health for the launcher."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/health":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [HEALTH]
        # DynamoDB's JSON API names the operation in this header, e.g. DynamoDB_20120810.PutItem.
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            return self.app(environ, start_response)
        with self.lock:
            return list(self.app(environ, start_response))  # the whole answer, inside the lock


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m serverless.local.aws", description=__doc__)
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in a container")
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no log line per AWS call
    app = OneDynamoDbCallAtATime(DomainDispatcherApplication(create_backend_app))
    server = make_server(args.host, args.port, app, threaded=True,
                         request_handler=MotoRequestHandler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"local AWS (moto) on http://{args.host}:{args.port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

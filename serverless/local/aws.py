"""The local AWS: a moto server on a loopback port, with one guarantee added.

moto applies a TransactWriteItems item by item, and undoes a refused one by restoring a copy
of the tables it touched. With requests running side by side, one could read half of another's
transaction, or lose its own write to another's undo. Real DynamoDB makes every call atomic.
Here one lock runs a single DynamoDB call at a time, which gives every call that atomicity
(and more isolation than DynamoDB promises for Query and Scan: see docs/serverless.md).
DynamoDB Streams calls take the same lock. What the local AWS changes in moto is listed in
moto_patches.py.

Only requests signed with the run's credentials get through (signed.py); /moto-api/ never.

Every call that changes something is written to disk before it is answered (journal.py, into
SHOP_DATA_DIR/serverless-aws.db), and all of it is loaded again before /health says ok
(restore.py): what the local AWS acknowledged survives a kill -9, tables, streams and queues.

Run: python -m serverless.local.aws --port 8301
"""

import argparse
import logging
import os
import signal
import sys
import threading

import boto3
from botocore.credentials import Credentials
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from serverless import clients, config
from serverless.local import changes, moto_patches, restore, snapshot
from serverless.local.journal import Journal
from serverless.local.signed import SignedOnly
from serverless.local.store import Store
from shared.settings import ConfigError

HEALTH = b'{"status": "ok", "service": "local AWS (moto)"}'
STARTING = b'{"status": "starting", "service": "local AWS (moto)"}'
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


class OneDynamoDbCallAtATime:
    """WSGI middleware around moto: the lock above, the journal of every change, and GET
    /health for the launcher (503 until `ready` is set, so that the runner waits for the saved
    data to be loaded)."""

    def __init__(self, app, journal: Journal | None = None):
        self.app, self.journal = app, journal
        self.lock = threading.Lock()
        # SQS calls that change a queue take a lock of their own, so that a message's deletion
        # is never written before its arrival; a receive (a long poll) takes none.
        self.queue_lock = threading.Lock()
        self.ready = threading.Event()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/health":
            ready = self.ready.is_set()
            start_response("200 OK" if ready else "503 Service Unavailable",
                           [("Content-Type", "application/json")])
            return [HEALTH if ready else STARTING]
        # DynamoDB's JSON API names the operation in this header, e.g. DynamoDB_20120810.PutItem,
        # and DynamoDB Streams' likewise, e.g. DynamoDBStreams_20120810.GetRecords.
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith("DynamoDB"):
            with self.lock:
                return self.journaled(environ, start_response)  # the whole answer, inside the lock
        if target == "AmazonSQS.ReceiveMessage":
            return self.journaled(environ, start_response)  # it may move a message to a dead-letter queue
        with self.queue_lock:
            return self.journaled(environ, start_response)

    def journaled(self, environ, start_response) -> list[bytes]:
        """moto's answer, once what the call changed is on disk (when it fails to be, an error:
        werkzeug answers 500, as nothing has been sent yet)."""
        with changes.recording() as changed:
            answer = list(self.app(environ, start_response))
        if changed and self.journal is not None:
            self.journal.write(changed)
        return answer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m serverless.local.aws", description=__doc__)
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in a container")
    args = parser.parse_args(argv)
    moto_patches.check_version()
    try:
        credentials = Credentials(*config.local_aws_credentials())
    except ConfigError as error:
        sys.exit(f"local AWS: {error}")
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no log line per AWS call
    logging.getLogger("botocore").setLevel(logging.WARNING)
    # Held for sigwait below, in every thread (they inherit the mask). A handler that set an
    # Event instead could deadlock on the Event's own lock when the signal interrupts a wait.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    moto_patches.install()
    store = Store(config.data_dir() / "serverless-aws.db")
    journal = Journal(store)
    restore.load(store, journal)
    app = OneDynamoDbCallAtATime(DomainDispatcherApplication(create_backend_app), journal)
    server = make_server(args.host, args.port, SignedOnly(app, credentials), threaded=True,
                         request_handler=MotoRequestHandler)
    threading.Thread(target=server.serve_forever, name="moto", daemon=True).start()
    snapshot.migrate(own_dynamodb(args.port, credentials), store,
                     config.data_dir() / snapshot.FILE_NAME)
    app.ready.set()
    print(f"local AWS (moto) on http://{args.host}:{args.port}", flush=True)
    signal.sigwait(STOP_SIGNALS)  # nothing to save: every change is on disk already
    server.shutdown()
    server.server_close()
    store.close()


def own_dynamodb(port: int, credentials: Credentials):
    """A client of this server's DynamoDB, and of nothing else, whatever the environment says;
    in the region and (fake) account the runner uses."""
    session = boto3.session.Session(aws_access_key_id=credentials.access_key,
                                    aws_secret_access_key=credentials.secret_key,
                                    region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"))
    return session.client("dynamodb", endpoint_url=f"http://127.0.0.1:{port}", config=clients.SETTINGS)


if __name__ == "__main__":
    main()

"""The local runner: the handlers on a laptop, as `sam local start-api` runs them.

`python -m serverless.runner --port 8300` (what `shop up serverless` starts, next to the local
AWS on port 8301). It creates the tables and queues template.yaml declares in the local AWS,
plays its event source mappings (the orders table's stream for the publisher, the events queue
for the worker), and serves the API: each HTTP request becomes an API Gateway event for the
function its route names. This process deploys, then becomes gunicorn's master; the API and
the event source mappings run in its one worker (local/front.py).
"""

import argparse
import functools
import logging
import os
import sys
import time
import urllib.request

from serverless import config
from serverless.local import provision
from serverless.local.front import Front
from serverless.local.template import TemplateError
from shared import settings
from shared.settings import ConfigError

AWS_START_SECONDS = 30
POSITION_FILE = "serverless-stream-position.json"  # where the stream event source stopped


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m serverless.runner", description=__doc__)
    parser.add_argument("--port", type=int, default=8300)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in a container")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    logging.getLogger("botocore").setLevel(logging.WARNING)
    try:
        token = settings.admin_token(os.environ)  # like every variant: no token, no start
        config.local_aws_endpoint()  # never real AWS: the runner creates tables where it points
    except ConfigError as error:
        sys.exit(f"serverless runner: {error}")
    deployed = _deploy(token)
    # Read back as the functions read it, once, before the worker is forked: every worker
    # starts with it, whatever becomes of the local AWS meanwhile.
    config.admin_token()
    position = config.data_dir() / POSITION_FILE
    mappings = [(source.name, functools.partial(deployed.mapping, source.name, position_file=position))
                for source in deployed.event_sources]
    announce = functools.partial(print, f"local API Gateway on http://{args.host}:{args.port}", flush=True)
    Front(f"{args.host}:{args.port}", mappings, announce).run()  # until SIGTERM or SIGINT


def _deploy(admin_token: str) -> provision.Deployed:
    """Create the tables and queues that are missing and store the admin token, once the local
    AWS is ready (it starts alongside, and first loads what it kept on disk)."""
    health = f"{config.local_aws_endpoint()}/health"
    deadline = time.monotonic() + AWS_START_SECONDS
    while not _answers(health):
        if time.monotonic() > deadline:
            sys.exit(f"serverless runner: the local AWS at {health} did not get ready")
        time.sleep(0.1)
    try:
        return provision.deploy(config.current(), admin_token=admin_token)
    except TemplateError as error:
        sys.exit(f"serverless runner: {error}")


def _answers(url: str) -> bool:
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    try:
        with direct.open(url, timeout=2) as response:
            return response.status == 200
    except OSError:  # refused, 503 while starting (HTTPError), or a timeout
        return False


if __name__ == "__main__":
    main()

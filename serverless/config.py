"""The serverless variant's configuration, read from the environment here and nowhere else.

On AWS, template.yaml sets these variables on each function; locally the runner runs the
handlers with the defaults below, which are the names it gives the tables, the queue and the
admin token's parameter it creates.
"""

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from serverless import clients
from shared import settings


@dataclass(frozen=True)
class Config:
    products_table: str
    orders_table: str
    notifications_table: str
    idempotency_table: str
    counters_table: str
    events_queue: str
    claim_timeout: float  # seconds after which an unfinished claim on a key counts as abandoned


def from_env(environ: Mapping[str, str] = os.environ) -> Config:
    return Config(
        products_table=environ.get("PRODUCTS_TABLE", "shop-products"),
        orders_table=environ.get("ORDERS_TABLE", "shop-orders"),
        notifications_table=environ.get("NOTIFICATIONS_TABLE", "shop-notifications"),
        idempotency_table=environ.get("IDEMPOTENCY_TABLE", "shop-idempotency-keys"),
        counters_table=environ.get("COUNTERS_TABLE", "shop-counters"),
        events_queue=environ.get("EVENTS_QUEUE", "shop-events"),
        claim_timeout=settings.claim_timeout(environ),
    )


@functools.cache
def current() -> Config:
    """This container's configuration: read on first use, kept while the container stays warm."""
    return from_env()


# Where the admin token is kept: template.yaml's AdminTokenParameter, whose default this is;
# the local runner puts it there.
ADMIN_TOKEN_PARAMETER = "/shop/admin-token"


def admin_token_parameter(environ: Mapping[str, str] = os.environ) -> str:
    return environ.get("SHOP_ADMIN_TOKEN_PARAMETER") or ADMIN_TOKEN_PARAMETER


@functools.cache
def admin_token() -> str:
    """The admin token, read from SSM Parameter Store (a SecureString) on first use and kept
    while the container stays warm. Only the functions that serve admin routes may read it."""
    found = clients.ssm().get_parameter(Name=admin_token_parameter(), WithDecryption=True)
    return settings.admin_token({"SHOP_ADMIN_TOKEN": found["Parameter"]["Value"]})


def local_aws_endpoint(environ: Mapping[str, str] = os.environ) -> str:
    """The local runner's AWS: AWS_ENDPOINT_URL, a plain-http one. AWS's own endpoints are all
    https, so this keeps the runner from creating tables in a real account by mistake."""
    endpoint = environ.get("AWS_ENDPOINT_URL", "")
    if urlsplit(endpoint).scheme != "http":
        raise settings.ConfigError(
            f"AWS_ENDPOINT_URL is {endpoint or 'not set'}; the local runner only talks to a "
            "local AWS (moto) over plain http. `shop up serverless` starts one and sets it.")
    return endpoint


MIN_SECRET_LENGTH = 16  # moto's customary "testing" must not open the local AWS


def local_aws_credentials(environ: Mapping[str, str] = os.environ) -> tuple[str, str]:
    """The only credentials the local AWS answers: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
    the variables boto3 reads, so that the runner and the local AWS are given them alike.
    There is no default: `shop up` makes a secret per run."""
    key, secret = environ.get("AWS_ACCESS_KEY_ID", ""), environ.get("AWS_SECRET_ACCESS_KEY", "")
    if not key.strip() or len(secret.strip()) < MIN_SECRET_LENGTH:
        raise settings.ConfigError(
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (at least "
            f"{MIN_SECRET_LENGTH} characters) must be set: the local AWS answers only requests "
            "signed with them. `shop up serverless` makes a secret per run (SHOP_AWS_SECRET_ACCESS_KEY "
            "chooses it) and gives it to the runner too.")
    return key, secret


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the local AWS and the runner keep what must outlive them (`shop up` sets it)."""
    return Path(environ.get("SHOP_DATA_DIR", ".data"))

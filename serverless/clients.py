"""boto3 clients: made on first use and reused while the Lambda container stays warm.

Region, credentials and endpoint come only from the standard AWS environment (AWS_REGION,
AWS_ENDPOINT_URL, ...), so the same code talks to real AWS or to the local runner's moto.
"""

import functools

import boto3
from botocore.config import Config

# Explicit timeouts on every call, and the SDK's standard retries for throttling: three tries
# of at most 1 + 2 s each stay inside the functions' 10 s Timeout (template.yaml), so a
# client gets a 503 rather than API Gateway's bare timeout. DynamoDB and SQS answer in
# milliseconds; the event source's long poll waits 1 s. The pool is sized for the local
# runner, where many invocations share one process.
SETTINGS = Config(connect_timeout=1, read_timeout=2, max_pool_connections=32,
                  retries={"mode": "standard", "total_max_attempts": 3})


@functools.cache
def dynamodb():
    # A session of its own: boto3's shared default session is not safe to set up from many threads.
    return boto3.session.Session().client("dynamodb", config=SETTINGS)


@functools.cache
def sqs():
    return boto3.session.Session().client("sqs", config=SETTINGS)


@functools.cache
def ssm():
    return boto3.session.Session().client("ssm", config=SETTINGS)


@functools.cache
def dynamodb_streams():
    """Only the local runner reads streams (on AWS, Lambda's event source mapping does). Its
    endpoint names no account: moto knows only the plain streams.dynamodb.<region> one."""
    settings = SETTINGS.merge(Config(account_id_endpoint_mode="disabled"))
    return boto3.session.Session().client("dynamodbstreams", config=settings)

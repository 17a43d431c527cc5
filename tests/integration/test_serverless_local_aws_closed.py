"""The serverless local AWS as `shop up` starts it, over real HTTP: it answers only requests
signed with the run's credentials, with the errors AWS gives otherwise, never serves moto's
/moto-api/ (reset, dashboard, seeding), and refuses to start without a secret of its own."""

import datetime
import os
import subprocess
import sys
import time
from contextlib import nullcontext
from unittest import mock

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from launcher.variants import LOCAL_AWS_ACCESS_KEY_ID, VARIANTS, local_aws
from tests.contract.launch import free_base_port

SECRET = "the-secret-of-this-test-run"
LIST_TABLES = {"X-Amz-Target": "DynamoDB_20120810.ListTables",
               "Content-Type": "application/x-amz-json-1.0"}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    port = free_base_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SHOP_"))}
    env |= {k: v for k, v in local_aws(url, SECRET).items() if v is not None}
    env["SHOP_DATA_DIR"] = str(tmp_path_factory.mktemp("closed-aws"))
    aws = subprocess.Popen([sys.executable, "-m", "serverless.local.aws", "--port", str(port)],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not _healthy(url):
            assert aws.poll() is None and time.monotonic() < deadline, "the local AWS did not start"
            time.sleep(0.1)
        client("dynamodb", url).create_table(
            TableName="kept", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}])
        yield url
    finally:
        aws.terminate()
        aws.wait(timeout=15)


def _healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/health", timeout=1).status_code == 200
    except requests.ConnectionError:
        return False


def client(service: str, url: str, key: str = LOCAL_AWS_ACCESS_KEY_ID, secret: str = SECRET):
    return boto3.session.Session().client(service, endpoint_url=url, region_name="us-east-1",
                                          aws_access_key_id=key, aws_secret_access_key=secret)


def refused(call) -> tuple[str, int]:
    with pytest.raises(ClientError) as error:
        call()
    return error.value.response["Error"]["Code"], error.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_the_runs_credentials_are_answered(endpoint):
    assert client("dynamodb", endpoint).list_tables()["TableNames"] == ["kept"]
    assert client("sqs", endpoint).create_queue(QueueName="q")["QueueUrl"].endswith("/q")
    assert client("dynamodbstreams", endpoint).list_streams()["Streams"] == []


@pytest.mark.parametrize("service, call, unknown, wrong_secret", [
    ("dynamodb", "list_tables", ("UnrecognizedClientException", 400), ("InvalidSignatureException", 400)),
    ("dynamodbstreams", "list_streams", ("UnrecognizedClientException", 400),
     ("InvalidSignatureException", 400)),
    ("sqs", "list_queues", ("InvalidClientTokenId", 403), ("SignatureDoesNotMatch", 403)),
])
def test_other_credentials_get_the_error_aws_gives(endpoint, service, call, unknown, wrong_secret):
    assert refused(getattr(client(service, endpoint, "testing", "testing"), call)) == unknown
    assert refused(getattr(client(service, endpoint, secret=SECRET + "x"), call)) == wrong_secret


def test_an_unsigned_request_is_refused(endpoint):
    answer = requests.post(endpoint, headers=LIST_TABLES, data="{}", timeout=5)
    assert answer.status_code == 400
    assert answer.json()["__type"] == "com.amazon.coral.service#MissingAuthenticationTokenException"
    form = requests.post(endpoint, data={"Action": "ListQueues"}, timeout=5)  # SQS's query protocol
    assert form.status_code == 403 and "<Code>MissingAuthenticationToken</Code>" in form.text


def signed(url: str, body: str, when: datetime.datetime | None = None) -> AWSRequest:
    """A ListTables request signed as botocore signs it, now or at another time."""
    request = AWSRequest("POST", url, headers=dict(LIST_TABLES), data=body.encode())
    signer = SigV4Auth(Credentials(LOCAL_AWS_ACCESS_KEY_ID, SECRET), "dynamodb", "us-east-1")
    with mock.patch("botocore.auth.get_current_datetime", return_value=when) if when else nullcontext():
        signer.add_auth(request)
    return request


def send(request: AWSRequest, body: str | None = None) -> requests.Response:
    return requests.post(request.url, headers=dict(request.headers.items()),
                         data=request.body if body is None else body.encode(), timeout=5)


def test_a_signed_request_whose_body_was_changed_or_that_is_old_is_refused(endpoint):
    assert send(signed(endpoint, "{}")).json() == {"TableNames": ["kept"]}
    changed = send(signed(endpoint, "{}"), body='{"Limit": 1}')
    assert changed.json()["__type"].endswith("#InvalidSignatureException")
    old = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=20)
    assert send(signed(endpoint, "{}", when=old)).json()["__type"].endswith("#InvalidSignatureException")


@pytest.mark.parametrize("method, path", [("POST", "/moto-api/reset"), ("GET", "/moto-api/"),
                                          ("GET", "/moto-api/data.json"), ("POST", "/moto-api/seed")])
def test_moto_api_is_unreachable_even_signed(endpoint, method, path):
    assert requests.request(method, endpoint + path, timeout=5).status_code == 404
    request = AWSRequest(method, endpoint + path, data=b"")
    SigV4Auth(Credentials(LOCAL_AWS_ACCESS_KEY_ID, SECRET), "dynamodb", "us-east-1").add_auth(request)
    answer = requests.request(method, request.url, headers=dict(request.headers.items()), timeout=5)
    assert answer.status_code == 404
    assert client("dynamodb", endpoint).list_tables()["TableNames"] == ["kept"]  # nothing reset


@pytest.mark.parametrize("secret", [None, "testing"])
def test_the_local_aws_refuses_to_start_without_a_secret_of_its_own(tmp_path, secret):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SHOP_"))}
    env |= {"AWS_ACCESS_KEY_ID": LOCAL_AWS_ACCESS_KEY_ID, "SHOP_DATA_DIR": str(tmp_path)}
    env |= {"AWS_SECRET_ACCESS_KEY": secret} if secret else {}
    result = subprocess.run([sys.executable, "-m", "serverless.local.aws", "--port", str(free_base_port())],
                            env=env, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode != 0 and "AWS_SECRET_ACCESS_KEY" in result.stderr


def test_the_launcher_gives_both_processes_one_fresh_secret_per_run(monkeypatch):
    monkeypatch.delenv("SHOP_AWS_SECRET_ACCESS_KEY", raising=False)
    first, second = VARIANTS["serverless"].processes(8300), VARIANTS["serverless"].processes(8300)
    assert [p.name for p in first] == ["serverless-aws", "serverless"]
    secrets = {p.env["AWS_SECRET_ACCESS_KEY"] for p in first}
    assert len(secrets) == 1 and len(secrets.pop()) >= 32
    assert first[0].env["AWS_SECRET_ACCESS_KEY"] != second[0].env["AWS_SECRET_ACCESS_KEY"]
    assert all(p.env["AWS_SESSION_TOKEN"] is None for p in first)  # never an inherited one
    monkeypatch.setenv("SHOP_AWS_SECRET_ACCESS_KEY", "chosen-by-the-user-0123")
    assert {p.env["AWS_SECRET_ACCESS_KEY"] for p in VARIANTS["serverless"].processes(8300)} == {
        "chosen-by-the-user-0123"}

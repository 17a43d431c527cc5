"""The local AWS's door without a server: what it lets through to moto, and the body it reads to
check a signature, put back for moto (the refusals themselves, over HTTP:
tests/integration/test_serverless_local_aws_closed.py)."""

import io

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from serverless.local.signed import MAX_BODY, SignedOnly

CREDENTIALS = Credentials("shop-local", "a-secret-of-this-test")


class Moto:
    """Stands in for moto: keeps the body it was given."""

    def __call__(self, environ, start_response):
        self.body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response("200 OK", [])
        return [b"{}"]


def environ_of(body: bytes, chunked: bool = False) -> dict:
    request = AWSRequest("POST", "http://127.0.0.1:8301/", data=body, headers={
        "X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0"})
    SigV4Auth(CREDENTIALS, "dynamodb", "us-east-1").add_auth(request)
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "QUERY_STRING": "",
               "HTTP_HOST": "127.0.0.1:8301", "wsgi.input": io.BytesIO(body)}
    environ |= {"wsgi.input_terminated": True} if chunked else {"CONTENT_LENGTH": str(len(body))}
    for name, value in request.headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    return environ


def status_of(app, environ) -> str:
    statuses = []
    app(environ, lambda status, headers: statuses.append(status))
    return statuses[0]


def test_a_signed_body_reaches_moto_whole_sent_with_a_length_or_in_chunks():
    for chunked in (False, True):
        moto = Moto()
        assert status_of(SignedOnly(moto, CREDENTIALS), environ_of(b'{"Limit": 5}', chunked)) == "200 OK"
        assert moto.body == b'{"Limit": 5}'


def test_a_body_over_the_limit_is_refused_unread():
    environ = environ_of(b"{}") | {"CONTENT_LENGTH": str(MAX_BODY + 1)}
    assert status_of(SignedOnly(Moto(), CREDENTIALS), environ).startswith("413")
    assert environ["wsgi.input"].tell() == 0


def test_health_is_open_and_nothing_else_is():
    open_ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/health", "wsgi.input": io.BytesIO()}
    assert status_of(SignedOnly(Moto(), CREDENTIALS), open_) == "200 OK"
    assert status_of(SignedOnly(Moto(), CREDENTIALS), open_ | {"REQUEST_METHOD": "POST"}).startswith("403")

"""The local AWS's door: moto answers only requests signed (AWS Signature Version 4) with this
run's credentials, and never its own /moto-api/ (reset, dashboard, seeding), whoever asks.

moto itself accepts any credentials, so anyone who reaches its port could read or change every
table, or wipe them all. Here each request is checked as AWS checks it: the access key must be
the run's, the signature must be the one botocore's own SigV4 code computes with the run's
secret over the request as received (method, path, query, the headers the client lists as
signed, and the body's SHA-256), and it must be less than 15 minutes old. A refusal is the error
AWS gives, in the protocol of the service asked. GET /health stays open, for the launcher.
"""

import datetime
import hashlib
import hmac
import io
import re
from urllib.parse import quote

from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from serverless.local import refusals

AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/\s]+)/(?P<date>\d{8})/(?P<region>[\w-]+)/"
    r"(?P<service>[\w-]+)/aws4_request,\s*SignedHeaders=(?P<headers>[a-z0-9;-]+),\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})")
MAX_AGE = datetime.timedelta(minutes=15)  # AWS's window for the time a request was signed at
MAX_BODY = 16 * 1024 * 1024  # DynamoDB's largest request; the body is read to check its hash


class SignedOnly:
    """WSGI middleware in front of moto (and of the local AWS's own middleware)."""

    def __init__(self, app, credentials: Credentials):
        self.app, self.credentials = app, credentials

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.lstrip("/").startswith("moto-api"):
            return refusals.not_found(start_response)
        if path == "/health" and environ.get("REQUEST_METHOD") == "GET":
            return self.app(environ, start_response)
        body = _body(environ)
        if body is None:
            return refusals.too_large(start_response)
        refused = self.refusal(environ, body)
        if refused:
            return refusals.answer(environ, start_response, refused)
        return self.app(environ, start_response)

    def refusal(self, environ, body: bytes) -> str | None:
        """Why AWS would refuse this request (a key of refusals.ERRORS), or None."""
        header = environ.get("HTTP_AUTHORIZATION", "")
        if not header:
            return "missing"
        found = AUTHORIZATION.fullmatch(header.strip())
        signed_at = environ.get("HTTP_X_AMZ_DATE", "")
        if not found or not signed_at.startswith(found["date"]):
            return "incomplete"
        if not hmac.compare_digest(found["key"].encode(), self.credentials.access_key.encode()):
            return "unknown"
        if not _recent(signed_at) or not _hash_matches(environ, body):
            return "signature"
        expected = _signature(environ, body, found, self.credentials)
        return None if hmac.compare_digest(expected.encode(), found["signature"].encode()) else "signature"


class _AsSigned(SigV4Auth):
    """botocore's SigV4 over the headers the client signed (rather than the ones botocore would
    choose to sign), and over the body as received."""

    def headers_to_sign(self, request):
        return request.headers

    def payload(self, request):
        return hashlib.sha256(request.data).hexdigest()


def _signature(environ, body: bytes, found: re.Match, credentials: Credentials) -> str:
    headers = {name: environ[_environ_key(name)] for name in found["headers"].split(";")
               if _environ_key(name) in environ}
    target = environ.get("RAW_URI") or quote(environ.get("PATH_INFO", "")) + (
        f"?{environ['QUERY_STRING']}" if environ.get("QUERY_STRING") else "")
    request = AWSRequest(environ["REQUEST_METHOD"], f"http://{environ.get('HTTP_HOST', '')}{target}",
                         headers=headers, data=body)
    request.context["timestamp"] = environ["HTTP_X_AMZ_DATE"]
    signer = _AsSigned(credentials, found["service"], found["region"])
    return signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)


def _environ_key(header: str) -> str:
    name = header.upper().replace("-", "_")
    return name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{name}"


def _recent(signed_at: str) -> bool:
    try:
        when = datetime.datetime.strptime(signed_at, SIGV4_TIMESTAMP).replace(tzinfo=datetime.UTC)
    except ValueError:
        return False
    return abs(datetime.datetime.now(datetime.UTC) - when) <= MAX_AGE


def _hash_matches(environ, body: bytes) -> bool:
    """A body hash the client sends in a header (S3's way) must be the body's: botocore's
    canonical request takes the header's word for it."""
    claimed = environ.get("HTTP_X_AMZ_CONTENT_SHA256")
    return claimed is None or claimed == hashlib.sha256(body).hexdigest()


def _body(environ) -> bytes | None:
    """The body, read once and put back for moto; None when it is larger than MAX_BODY."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0  # werkzeug's server answers such a request 400 before it gets here
    if environ.get("wsgi.input_terminated"):
        length = MAX_BODY + 1  # chunked: read to the end, or just past the limit
    elif length > MAX_BODY:
        return None
    body = environ["wsgi.input"].read(length) if length else b""
    if len(body) > MAX_BODY:
        return None
    environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
    return body

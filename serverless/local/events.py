"""An HTTP request as API Gateway hands it to a function: an HTTP API event, payload format 2.0
(the shape in the AWS Lambda documentation, and in tests/unit/serverless_support.py)."""

import base64
import time
import uuid
from urllib.parse import parse_qsl


def to_event(request, url, key: str, params: dict, body: bytes) -> dict:
    """An API Gateway HTTP API event, payload format 2.0."""
    now = time.time()
    event = {
        "version": "2.0", "routeKey": key, "rawPath": url.path, "rawQueryString": url.query,
        "headers": _joined((name.lower(), value) for name, value in request.headers.items()),
        "requestContext": {
            "accountId": "123456789012", "apiId": "local", "stage": "$default",
            "domainName": request.headers.get("Host", ""), "routeKey": key,
            "requestId": str(uuid.uuid4()), "timeEpoch": int(now * 1000),
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "http": {"method": request.command, "path": url.path,
                     "protocol": request.request_version, "sourceIp": request.client_address[0],
                     "userAgent": request.headers.get("User-Agent", "")}},
        "isBase64Encoded": False,
    }
    if url.query:
        event["queryStringParameters"] = _joined(parse_qsl(url.query, keep_blank_values=True))
    if params:
        event["pathParameters"] = params
    if body:
        event["body"], event["isBase64Encoded"] = _text_or_base64(body)
    return event


def _joined(pairs) -> dict:
    """Repeated names become one value, comma-separated, as API Gateway sends them."""
    joined = {}
    for name, value in pairs:
        joined[name] = f"{joined[name]},{value}" if name in joined else value
    return joined


def _text_or_base64(body: bytes) -> tuple[str, bool]:
    """Text as it is; a body that is not UTF-8 goes base64-encoded, as binary does on AWS."""
    try:
        return body.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(body).decode("ascii"), True

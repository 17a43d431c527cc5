"""Events as AWS hands them to a function (the shapes in the AWS Lambda documentation, and in
tests/integration/serverless_support.py): an HTTP request as API Gateway's HTTP API event, payload
format 2.0; a DynamoDB stream record; and the message about a stream batch given up."""

import base64
import datetime
import time
import uuid
from urllib.parse import SplitResult, parse_qsl, urlsplit

from werkzeug.datastructures import EnvironHeaders


def to_event(environ: dict, key: str, params: dict, body: bytes) -> dict:
    """An API Gateway HTTP API event, payload format 2.0, from a WSGI request as gunicorn gives it."""
    now = time.time()
    headers = EnvironHeaders(environ)  # repeated fields: gunicorn has joined them with commas
    url = raw_url(environ)
    event = {
        "version": "2.0", "routeKey": key, "rawPath": url.path, "rawQueryString": url.query,
        "headers": _joined((name.lower(), value) for name, value in headers.items()),
        "requestContext": {
            "accountId": "123456789012", "apiId": "local", "stage": "$default",
            "domainName": headers.get("Host", ""), "routeKey": key,
            "requestId": str(uuid.uuid4()), "timeEpoch": int(now * 1000),
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "http": {"method": environ["REQUEST_METHOD"], "path": url.path,
                     "protocol": environ["SERVER_PROTOCOL"], "sourceIp": environ["REMOTE_ADDR"],
                     "userAgent": headers.get("User-Agent", "")}},
        "isBase64Encoded": False,
    }
    if url.query:
        event["queryStringParameters"] = _joined(parse_qsl(url.query, keep_blank_values=True))
    if params:
        event["pathParameters"] = params
    if body:
        event["body"], event["isBase64Encoded"] = _text_or_base64(body)
    return event


def raw_url(environ: dict) -> SplitResult:
    """The request's target as sent, %-escapes kept, as API Gateway's rawPath is."""
    return urlsplit(environ.get("RAW_URI") or environ["PATH_INFO"])


def _joined(pairs) -> dict:
    """Repeated names become one value, comma-separated, as API Gateway sends them."""
    joined: dict[str, str] = {}
    for name, value in pairs:
        joined[name] = f"{joined[name]},{value}" if name in joined else value
    return joined


def _text_or_base64(body: bytes) -> tuple[str, bool]:
    """Text as it is; a body that is not UTF-8 goes base64-encoded, as binary does on AWS."""
    try:
        return body.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(body).decode("ascii"), True


def stream_record(record: dict, stream_arn: str) -> dict:
    """A record from GetRecords as one record of the DynamoDB stream event Lambda gives."""
    change = dict(record["dynamodb"])
    if isinstance(created := change.get("ApproximateCreationDateTime"), datetime.datetime):
        change["ApproximateCreationDateTime"] = int(created.timestamp())  # seconds, as Lambda sends
    return {"eventID": record["eventID"], "eventName": record["eventName"], "eventVersion": "1.1",
            "eventSource": "aws:dynamodb", "awsRegion": stream_arn.split(":")[3],
            "dynamodb": change, "eventSourceARN": stream_arn}


def failed_batch(shard: str, stream_arn: str, records: list[dict], tries: int) -> dict:
    """What Lambda sends to the on-failure destination: where the batch was, not the batch."""
    info = {"shardId": shard, "streamArn": stream_arn, "batchSize": len(records),
            "startSequenceNumber": records[0]["dynamodb"]["SequenceNumber"],
            "endSequenceNumber": records[-1]["dynamodb"]["SequenceNumber"]}
    context = {"requestId": str(uuid.uuid4()), "condition": "RetryAttemptsExhausted",
               "approximateInvokeCount": tries}
    return {"requestContext": context, "version": "1.0", "DDBStreamBatchInfo": info}

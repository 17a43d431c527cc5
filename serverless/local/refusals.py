"""The local AWS's refusals (signed.py), each the error AWS gives, in the protocol of the
service asked, so that boto3 raises what it raises against AWS.

DynamoDB and DynamoDB Streams speak JSON and name the error in `__type`. SQS speaks JSON too
(botocore's SQS client since 2023), with the code of its older query protocol in the
x-amzn-query-error header, where botocore reads it (InvalidClientTokenId, SignatureDoesNotMatch).
A request without X-Amz-Target (the query protocol) gets the query protocol's XML.
"""

import json
from xml.sax.saxutils import escape

INVALID_TOKEN = "The security token included in the request is invalid."
WRONG_SIGNATURE = ("The request signature we calculated does not match the signature you provided. "
                   "Check your AWS Secret Access Key and signing method. Consult the service "
                   "documentation for details.")
# refusal -> (the JSON services' error, the query protocol's status and code, the message)
ERRORS = {
    "missing": ("MissingAuthenticationTokenException", 403, "MissingAuthenticationToken",
                "Request is missing Authentication Token"),
    "incomplete": ("IncompleteSignatureException", 400, "IncompleteSignature",
                   "The request signature does not conform to AWS standards."),
    "unknown": ("UnrecognizedClientException", 403, "InvalidClientTokenId", INVALID_TOKEN),
    "signature": ("InvalidSignatureException", 403, "SignatureDoesNotMatch", WRONG_SIGNATURE),
}
STATUS = {400: "400 Bad Request", 403: "403 Forbidden", 404: "404 Not Found",
          413: "413 Request Entity Too Large"}


def answer(environ, start_response, refusal: str) -> list[bytes]:
    json_type, query_status, query_code, message = ERRORS[refusal]
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if not target:
        body = (f'<ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error>'
                f"<Type>Sender</Type><Code>{query_code}</Code><Message>{escape(message)}</Message>"
                f"<Detail/></Error></ErrorResponse>")
        return _send(start_response, query_status, "text/xml", body)
    content = json.dumps({"__type": f"com.amazon.coral.service#{json_type}", "message": message})
    if target.startswith("AmazonSQS."):
        return _send(start_response, query_status, "application/x-amz-json-1.0", content,
                     [("x-amzn-query-error", f"{query_code};Sender")])
    return _send(start_response, 400, "application/x-amz-json-1.0", content)  # as DynamoDB does


def not_found(start_response) -> list[bytes]:
    return _send(start_response, 404, "application/json", '{"message": "Not Found"}')


def too_large(start_response) -> list[bytes]:
    return _send(start_response, 413, "application/json", '{"message": "Request Entity Too Large"}')


def _send(start_response, status: int, content_type: str, body: str, extra=()) -> list[bytes]:
    data = body.encode()
    start_response(STATUS[status], [("Content-Type", content_type),
                                    ("Content-Length", str(len(data))), *extra])
    return [data]

"""The local API Gateway (an HTTP API): each HTTP request becomes a payload format 2.0 event
for the function its route names, and the function's answer becomes the HTTP response.

Like API Gateway it reads the whole body before a function runs, so a connection stays
usable whatever the function answers (a 413 included).
"""

import base64
import json
import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from serverless.handlers import api, notifications, orders, products
from serverless.http import json_response, path_pattern, problem_response
from serverless.local.events import to_event
from serverless.local.invoke import invoke
from shared import bodies, errors, problems, request_id

# The API's functions, by their names in template.yaml; `$default` is ApiFunction's.
FUNCTIONS = {"ApiFunction": api, "ProductsFunction": products, "OrdersFunction": orders,
             "NotificationsFunction": notifications}
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024  # API Gateway's limit; the contract's 64 KiB is the handlers'
TOO_LARGE = f"The body is larger than {bodies.MAX_BODY_BYTES} bytes."  # as the handlers say it
log = logging.getLogger("shop.serverless.runner")


class Gateway(ThreadingHTTPServer):
    daemon_threads = True  # an idle keep-alive connection never holds up a stop
    request_queue_size = 128  # many clients connecting at once (the default backlog is 5)

    def __init__(self, host: str, port: int):
        super().__init__((host, port), Invocation)
        self.routes = [(key.split(" ")[0], path_pattern(key.split(" ")[1]), key, name)
                       for name, function in FUNCTIONS.items()
                       for key in function.api.views if key != "$default"]

    def route(self, method: str, path: str) -> tuple[str, str, dict]:
        """The route key, function name and path parameters of a request."""
        for route_method, pattern, key, name in self.routes:
            if route_method == method and (found := pattern.fullmatch(path)):
                return key, name, {k: unquote(v) for k, v in found.groupdict().items()}
        return "$default", "ApiFunction", {}


class Invocation(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as API Gateway offers
    # Headers and body leave in one write: written apart, the client's delayed ACK and Nagle's
    # algorithm add some 40 ms to every answer on a kept-open connection.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True
    timeout = 60  # seconds an idle connection is kept

    def invoke_function(self) -> None:
        body = self._read_body()
        if body is None:  # refused before any function runs, as API Gateway does
            self.close_connection = True
            return self._respond(problem_response(errors.PayloadTooLarge(TOO_LARGE)), "-")
        url = urlsplit(self.path)
        key, name, params = self.server.route(self.command, url.path)
        event = to_event(self, url, key, params, body)
        try:
            result, context = invoke(name, FUNCTIONS[name].handler, event)
        except Exception:  # the handlers answer their own errors: this is a bug in one of them
            log.exception("%s failed", name)
            status, problem = problems.internal_error()
            result = json_response(problem, status, {request_id.HEADER: request_id.accept_or_new(None)})
            return self._respond(result, name)
        self._respond(result, f"{name} {context.elapsed_ms():.1f}ms")

    # Every method reaches a function; one that no route names gets $default (404 or 405).
    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = invoke_function

    def _read_body(self) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunks()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length <= MAX_PAYLOAD_BYTES else None

    def _read_chunks(self) -> bytes | None:
        data = b""
        while size := int(self.rfile.readline().split(b";")[0], 16):
            data += self.rfile.read(size)
            self.rfile.readline()
            if len(data) > MAX_PAYLOAD_BYTES:
                return None
        while self.rfile.readline().strip():  # trailer lines, up to the blank one
            pass
        return data

    def _respond(self, result: dict, note: str) -> None:
        if "statusCode" not in result:  # payload 2.0: any other JSON is a 200 with that body
            result = {"statusCode": 200, "headers": {"Content-Type": "application/json"},
                      "body": json.dumps(result)}
        body = result.get("body") or ""
        data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
        self.send_response(result["statusCode"])
        for name, value in result.get("headers", {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":  # HEAD: the headers of the answer, never its body
            self.wfile.write(data)
        rid = result.get("headers", {}).get(request_id.HEADER, "-")
        log.info('"%s %s" %s %s rid=%s', self.command, self.path, result["statusCode"], note, rid)

    def log_request(self, code="-", size="-") -> None:
        pass  # _respond logs one line per request, with the function and its request id

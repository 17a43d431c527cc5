"""The launcher's control port (127.0.0.1:8080 unless `--control-port`): a small Flask app, served
by a thread of the launcher, that receives every process's traces and serves them as JSON, and
the control room (its page and API, launcher/room*.py). Bound to loopback only: what it shows is
for the person at this machine."""

import logging
import socket
import threading

from flask import Flask
from werkzeug.serving import make_server

from launcher import room_api, room_guard, room_page, room_shop, trace_api
from launcher.trace_store import TraceStore

DEFAULT_PORT = 8080
MAX_EXPORT_BYTES = 32 * 1024 * 1024  # an SDK's batch is far smaller; a bound all the same


def create_app(traces: TraceStore | None = None) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_EXPORT_BYTES
    app.extensions["traces"] = traces or TraceStore()
    app.before_request(room_guard.check)
    for blueprint in (trace_api.api, room_api.api, room_shop.api, room_page.page):
        app.register_blueprint(blueprint)
    return app


class ControlServer:
    """The app on a loopback port, in a daemon thread, until `stop()`."""

    def __init__(self, port: int, app: Flask | None = None):
        self.app = app or create_app()
        # Bound here, not by werkzeug, which exits the whole process when the port is taken:
        # OSError instead, and the caller decides what that means.
        with socket.create_server(("127.0.0.1", port)) as listening:
            self.server = make_server("127.0.0.1", port, self.app, threaded=True,
                                      fd=listening.fileno())
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per export
        self.thread = threading.Thread(target=self.server.serve_forever, name="control", daemon=True)

    def start(self) -> "ControlServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

"""The runner's HTTP front: the local API Gateway (gateway.py) served by gunicorn with the
settings every Flask process of the project has (launcher/gunicorn_conf.py: the worker that
reads a request whole before a thread gets it, the access log line with its request id, the
worker that dies with its master), so that malformed requests are refused as everywhere else.

One worker, and the two event source mappings run in it, started once it is up: they must run
exactly once per runner, and a worker is the process that owns them. Not the master, which
forks: a fork taken while their threads hold a lock (logging's, a connection pool's) would hand
the new worker that lock forever held. When the worker dies (kill -9, a crash), gunicorn starts
another, and its mappings go on from where the stream position and the queue left them; when
the master dies, the worker dies with it and the launcher starts the runner again.
"""

import importlib
import threading

from gunicorn.app.base import BaseApplication

from serverless import clients, tracing
from serverless.local.gateway import Gateway

GUNICORN_CONF = "launcher.gunicorn_conf"
# Twice a Flask worker's threads: one worker serves the variant alone, and its threads mostly
# wait on the local AWS.
THREADS = 8


class Front(BaseApplication):
    """gunicorn, run in this process as its master, serving the Gateway."""

    def __init__(self, bind: str, mappings, on_ready=None):
        """`mappings`: (name, factory) pairs; each factory makes a mapping whose run(stop) is
        started in the worker, on a thread of that name."""
        self.bind, self.mappings, self.on_ready = bind, mappings, on_ready
        super().__init__(prog="serverless.runner")

    def load_config(self):
        project = vars(importlib.import_module(GUNICORN_CONF))
        own = {"bind": [self.bind], "workers": 1, "threads": THREADS,
               "post_worker_init": self._start_mappings, "worker_exit": _stop_mappings,
               "when_ready": lambda server: self.on_ready and self.on_ready()}
        for name, value in (project | own).items():
            if name in self.cfg.settings:
                self.cfg.set(name, value)

    def load(self):
        """Called in the worker: its tracing starts there, never in the master that forks."""
        gateway = Gateway()
        if not (provider := tracing.start("serverless-runner")):
            return gateway
        from opentelemetry.instrumentation.wsgi import OpenTelemetryMiddleware
        traced = OpenTelemetryMiddleware(gateway, tracer_provider=provider)

        def app(environ, start_response):  # /health untraced, as in the Flask apps: probes ask often
            return (gateway if environ["PATH_INFO"] == "/health" else traced)(environ, start_response)
        return app

    def run(self):
        _forget_clients()
        super().run()

    def _start_mappings(self, worker):
        worker.mappings_stop = threading.Event()
        for name, make in self.mappings:
            threading.Thread(target=make().run, args=(worker.mappings_stop,), name=name,
                             daemon=True).start()


def _stop_mappings(server, worker):
    if stop := getattr(worker, "mappings_stop", None):
        stop.set()


def _forget_clients():
    """The master's AWS clients (made to deploy) closed, so no worker inherits their pooled
    connections: a worker killed mid-call would leave one with half an answer on it for the
    next worker forked from the same master."""
    for client in (clients.dynamodb, clients.sqs, clients.dynamodb_streams):
        if client.cache_info().currsize:
            client().close()
        client.cache_clear()

"""gunicorn settings for every Flask process of every variant, with `shop up` and in Docker:
`gunicorn -c python:launcher.gunicorn_conf APP --bind HOST:PORT`."""

import signal

from launcher.deathsig import die_with_parent

workers = 2
threads = 4
# gthread, but a request is read whole before a thread gets it: with gthread itself, a few
# clients sending slowly held every thread and nothing else was answered (gunicorn_worker.py).
worker_class = "launcher.gunicorn_worker.BufferedThreadWorker"
# Longer than the gap between two calls from a service's pooled Session, so a reused
# connection is rarely one the server is closing at that moment (gunicorn's default is 2 s).
keepalive = 15
graceful_timeout = 5
# gunicorn 27's control socket is for an operator's CLI, which nothing here uses; off, so
# that several servers can start side by side without sharing its default path.
control_socket_disable = True
# One access-log line per request, with its X-Request-Id, so a request can be followed.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)sB %(M)sms rid=%({x-request-id}o)s'


def post_fork(server, worker):
    # A worker whose master died (kill -9, a crash) would go on holding the port until it
    # noticed, and a new master could not bind it. Like the rest of a container whose first
    # process ends, it is killed at once, in-flight requests and all: its master is gone.
    die_with_parent(signal.SIGKILL, worker.ppid)

"""gunicorn's thread worker, changed in two ways. Its own refusals are Problem Details like every
other answer (gunicorn_refusals.py). And a request is read whole, head and body, by the
worker's event loop before a thread gets it, so a client that sends slowly holds a socket, never
one of the few threads. gunicorn 27's own gthread gives a connection a thread once its first byte
is in, and that thread reads the rest at the client's pace: four slow clients could take a
worker's four threads, and the requests it accepted next waited behind them."""

import contextlib
import selectors
import time
from functools import partial

from gunicorn import http
from gunicorn.workers.gthread import ThreadWorker

from launcher import faults
from launcher.gunicorn_refusals import refuse
from launcher.request_framing import expects_continue, whole_request

# More than any app here reads of a body before it answers (64 KiB, or 64 KiB and a 1 MiB drain
# before its 413: shared/web.py), so no thread ever waits for a client's bytes.
BUFFER_LIMIT = 2 * 1024 * 1024
# Time for a whole request from the moment one is awaited; a client slower than that is closed.
REQUEST_READ_SECONDS = 30
READ_SIZE = 64 * 1024
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


class BufferedThreadWorker(ThreadWorker):
    """`gthread`, with a request's bytes gathered in the event loop first (plain HTTP/1 only)."""

    def init_process(self):
        # TLS, HTTP/2 and the PROXY protocol read their own preludes: gthread's way for those.
        self.buffering = (not self.cfg.is_ssl and self.cfg.protocol == "http"
                          and self.cfg.proxy_protocol == "off" and self.cfg.http_protocols == ["h1"])
        self.reading = []  # connections whose request is still arriving, oldest first
        super().init_process()

    def load_wsgi(self):
        super().load_wsgi()
        self.wsgi = faults.wrap(self.wsgi)  # type: ignore[has-type]

    def handle_error(self, req, client, addr, exc):
        refuse(client, req, exc)

    def enqueue_req(self, conn):
        """Called by gthread for every request awaited: a new, kept-alive or pipelining client."""
        if not self.buffering:
            return super().enqueue_req(conn)
        conn.received = bytearray(conn.parser.unreader.take_buffered() if conn.parser else b"")
        conn.continued = False
        if self._read_enough(conn):
            return self._hand_over(conn)
        conn.read_deadline = time.monotonic() + REQUEST_READ_SECONDS
        conn.sock.setblocking(False)
        self.reading.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, conn))

    def _on_readable(self, conn, sock):
        try:
            data = sock.recv(READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the client has gone
            return self._close(conn)
        conn.received += data
        if self._read_enough(conn):
            self._stop_reading(conn)
            self._hand_over(conn)

    def _read_enough(self, conn):
        if len(conn.received) >= BUFFER_LIMIT or whole_request(conn.received):
            return True
        if not conn.continued and expects_continue(conn.received):
            # The client waits for this before it sends its body. The thread's gunicorn sends
            # one more, which clients accept (RFC 9110, 15.2: one or more 1xx responses).
            conn.continued = True
            with contextlib.suppress(OSError):  # a client gone is noticed by the next read
                conn.sock.send(CONTINUE)  # 25 bytes into an empty socket buffer: never blocks
        return False

    def _hand_over(self, conn):
        """To gthread's thread pool, with the bytes already read put back in front of the socket."""
        if conn.parser is None:
            conn.parser = http.get_parser(self.cfg, conn.sock, conn.client)
        conn.parser.unreader.unread(bytes(conn.received))
        conn.data_ready = True  # gthread's own wait for a first byte is not needed
        super().enqueue_req(conn)

    def _stop_reading(self, conn):
        self.poller.unregister(conn.sock)
        self.reading.remove(conn)

    def _close(self, conn):
        self._stop_reading(conn)
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self):
        """gthread calls this about once a second, and while it stops: close the too slow ones."""
        super().murder_pending()
        now = time.monotonic()
        for conn in [c for c in self.reading if c.read_deadline <= now]:
            self._close(conn)

    def _cap_keepalive(self, deadline):
        """A stopping worker waits for a request still arriving as long as for a kept-alive one."""
        super()._cap_keepalive(deadline)
        for conn in self.reading:
            conn.read_deadline = min(conn.read_deadline, deadline)

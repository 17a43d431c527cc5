"""Which of the ports a run needs are taken already: said before anything starts, since a
process that cannot bind its port dies, and a health check or the seeding would then reach
whatever else listens there."""

import random
import socket

from launcher.variants import VARIANTS

# Below Linux's ephemeral range (32768-60999), where outgoing connections get their local port:
# a port picked there could be taken by a connection between the check and the server's bind.
LOW, HIGH = 20000, 32768


def needed(names: list[str], port: int | None) -> list[tuple[int, str]]:
    """(port, "variant process") for every port the named variants would listen on."""
    return [(process.port, f"{name} {process.name}") for name in names
            for process in VARIANTS[name].processes(base(names, name, port))
            if process.port is not None]


def base(names: list[str], name: str, port: int | None) -> int:
    """The public port of `name`: its own, or `port` for the first of `names`, 100 more for each next."""
    return VARIANTS[name].port if port is None else port + 100 * names.index(name)


def taken(names: list[str], port: int | None) -> list[tuple[int, str]]:
    return [(number, owner) for number, owner in needed(names, port) if not is_free(number)]


def is_free(port: int) -> bool:
    """Whether a server could listen on `port` now. SO_REUSEADDR, as gunicorn and the control
    port bind: a port a stopped run's connections hold in TIME_WAIT is free, a listening one not."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_block(span: int) -> int:
    """The first of `span` free ports in a row, picked at random in LOW-HIGH (tests and
    experiments launch variants there, side by side)."""
    for _ in range(200):
        port = random.randint(LOW, HIGH - span)
        if all(is_free(p) for p in range(port, port + span)):
            return port
    raise RuntimeError(f"no block of free ports found in {LOW}-{HIGH}")

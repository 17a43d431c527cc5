"""Which of the ports a run needs are taken already: said before anything starts, since a
process that cannot bind its port dies, and a health check or the seeding would then reach
whatever else listens there."""

import socket

from launcher.variants import VARIANTS


def needed(names: list[str], port: int | None) -> list[tuple[int, str]]:
    """(port, "variant process") for every port the named variants would listen on."""
    return [(process.port, f"{name} {process.name}") for name in names
            for process in VARIANTS[name].processes(port or VARIANTS[name].port)
            if process.port is not None]


def taken(names: list[str], port: int | None) -> list[tuple[int, str]]:
    return [(number, owner) for number, owner in needed(names, port) if not is_free(number)]


def is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True

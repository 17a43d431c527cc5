"""The bare path: a variant's order path with none of the shop in it. The processes an order
crosses one after the other, each the ceiling's bare app (ceiling.py) under the variant's own
gunicorn settings, passing the order on to the next over a kept-open connection and answering a
fixed order: no database, no validation, no saga. Its `POST /orders` is what the hops alone cost
on this machine; what a variant takes beyond it is its own work.

Only the calls waited for in a row: the catalog, which microservices' orders asks while it claims
the key and reserves the stock, is left out, as are the relay's deliveries after the answer.
"""

import contextlib
from collections.abc import Iterator
from pathlib import Path

from launcher.variants import VARIANTS, gunicorn
from tests.contract.launch import free_base_port

from .ceiling import APP, served

# Each process of the path and the ones it passes an order on to, in turn; the first is the
# variant's public one. Serverless has none: its order path is the local AWS emulator.
PATHS: dict[str, dict[str, tuple[str, ...]]] = {
    "monolith": {"monolith": ()},
    "services": {"storefront": ("orders",), "orders": ()},
    "microservices": {"gateway": ("orders",), "orders": ("inventory", "payments"),
                      "inventory": (), "payments": ()},
}


def described(variant: str) -> str:
    """The path in words: `gateway → orders → inventory, payments`."""
    hops = PATHS[variant]
    return " → ".join([next(iter(hops))] + [", ".join(to) for to in hops.values() if to])


@contextlib.contextmanager
def bare_path(variant: str, log_dir: Path) -> Iterator[str | None]:
    """The variant's path served on free ports, for as long as the block runs: the URL of its
    first process (None: the variant has no bare path)."""
    hops = PATHS.get(variant)
    if hops is None:
        yield None
        return
    base = free_base_port()
    urls = {name: f"http://127.0.0.1:{base + i}" for i, name in enumerate(hops)}
    # As the launcher starts the variant's processes: microservices runs one worker each.
    settings = {"GUNICORN_CMD_ARGS": VARIANTS[variant].processes(base)[0].env.get("GUNICORN_CMD_ARGS")}
    with contextlib.ExitStack() as stack:
        for i, (name, passed_to) in enumerate(hops.items()):
            process = gunicorn(f"bare-{name}", APP, base + i, **settings,
                               CEILING_NEXT=",".join(urls[n] for n in passed_to))
            stack.enter_context(served(log_dir / f"bare-{variant}-{name}.log", process))
        yield urls[next(iter(hops))]

"""`python -m tests.bench [--variants ...] [--output FILE]`: launches each variant in turn as the
contract suite does (tests/contract/launch.py), measures it, stops it, and prints markdown."""

import argparse
import contextlib
import functools
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from launcher.experiments.memory import memory
from launcher.variants import VARIANTS
from tests.contract.launch import Registry

from . import ceiling
from .bare_path import bare_path, described
from .growth import FEW_ORDERS, Copy, measure_growth
from .load import SECONDS
from .measure import measure
from .report import growth_markdown, machine, markdown

IDLE_SETTLE = 1.0  # seconds after healthy before the idle memory is read, as docs/*.md did
GROWTH_REQUESTS = 300  # timed reads of each endpoint; a third as many orders placed


def _data_dir(workdir: Path, name: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=workdir))


class Launched(NamedTuple):
    base_url: str
    admin_token: str
    start_s: float  # launch -> healthy
    memory_now: Callable[[], dict]


@contextlib.contextmanager
def launched(variant: str, args, workdir: Path):
    """The variant launched (launch -> healthy timed) with a fresh token; stopped after."""
    token = secrets.token_urlsafe(24)
    postgres = args.postgres and VARIANTS[variant].sql
    registry = Registry(token, functools.partial(_data_dir, workdir),
                        os.environ["SHOP_TEST_DATABASE_URL"] if postgres else None)
    try:
        start = time.perf_counter()
        base_url = registry.base_url(variant, "postgres" if postgres else "sqlite")
        start_s = time.perf_counter() - start
        launcher_pid = next(iter(registry.running.values())).process.pid
        yield Launched(base_url, token, start_s, functools.partial(memory, launcher_pid))
    finally:
        registry.stop_all()


def bench(variant: str, args, workdir: Path,
          time_ceiling: Callable[[str], dict] | None = None) -> dict:
    """The ceiling timed (if given), then launch -> healthy (timed), idle memory, the load,
    memory after it; then stop."""
    result = {"ceiling": time_ceiling(variant)} if time_ceiling else {}
    with launched(variant, args, workdir) as shop:
        result["start_s"] = shop.start_s
        time.sleep(IDLE_SETTLE)
        result["idle"] = shop.memory_now()
        result["load"] = measure(shop.base_url, shop.admin_token, args.requests or 300,
                                 args.clients, args.warmup, args.seconds)
        result["after"] = shop.memory_now()
        return result


def bench_growth(variant: str, args, workdir: Path) -> dict:
    """Two copies launched side by side, one filled to --baseline orders, one to N; timed in
    turn."""
    with launched(variant, args, workdir) as small, launched(variant, args, workdir) as large:
        copies = [Copy(shop.base_url, shop.admin_token, shop.memory_now)
                  for shop in (small, large)]
        return {"growth": measure_growth(
            *copies, args.preload, baseline=args.baseline, count=args.requests or GROWTH_REQUESTS,
            warmup=args.warmup, clients=args.preload_clients, cap_s=args.preload_cap,
            label=variant)}


@contextlib.contextmanager
def ceiling_timer(args, workdir: Path):
    """A function that times the ceiling for a variant: the bare app (tests/bench/ceiling.py),
    served for the whole run, and the variant's bare path (bare_path.py), served while it is
    timed. None with --preload or --no-ceiling."""
    if args.preload or args.no_ceiling:
        yield None
        return
    with ceiling.served(workdir / "ceiling.log") as base_url:
        def time_ceiling(variant: str) -> dict:
            with bare_path(variant, workdir) as path_url:
                timed = ceiling.measure_ceiling(base_url, path_url, args.requests or 300,
                                                args.clients, args.warmup, args.seconds)
            return timed | {"path": described(variant) if path_url else None}
        yield time_ceiling


def _label(variant: str, args) -> str:
    label = f"{variant}, PostgreSQL" if args.postgres and VARIANTS[variant].sql else variant
    return f"{label}, traced" if args.tracing else label


def _check_growth(parser, args) -> None:
    rounds = args.baseline + (args.requests or GROWTH_REQUESTS) + args.warmup
    if args.baseline <= args.warmup + FEW_ORDERS:
        parser.error(f"--baseline must be more than --warmup + {FEW_ORDERS}")
    if args.preload <= rounds:
        parser.error(f"--preload must be more than --baseline + --requests + --warmup ({rounds})")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--requests", type=int,
                        help="timed requests per endpoint (300; with --preload, a third of it for "
                        "POST /orders)")
    parser.add_argument("--seconds", type=float, default=SECONDS,
                        help="a run goes on past --requests until it has lasted this long (2)")
    parser.add_argument("--clients", type=int, default=8, help="clients of the concurrent run")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per client")
    parser.add_argument("--postgres", action="store_true",
                        help="SQL variants on SHOP_TEST_DATABASE_URL's server, not SQLite")
    parser.add_argument("--output", type=Path, help="write the markdown here too")
    parser.add_argument("--tracing", action="store_true",
                        help="every process traced, its spans sent to the launcher's receiver")
    parser.add_argument("--no-ceiling", action="store_true",
                        help="leave out the bare Flask app and the variant's bare path, timed "
                        "before each variant (tests/bench/ceiling.py, bare_path.py)")
    growth = parser.add_argument_group(
        "growth", "with --preload N, instead of the runs above: two copies of each variant side "
        "by side, one holding --baseline orders and one N, each endpoint timed on both in turn")
    growth.add_argument("--preload", type=int, metavar="N", help="orders the large copy stores")
    growth.add_argument("--baseline", type=int, default=100, help="orders the small copy stores")
    growth.add_argument("--preload-clients", type=int, default=4,
                        help="concurrent clients placing the preloaded orders")
    growth.add_argument("--preload-cap", type=float, default=1200, metavar="SECONDS",
                        help="preloading stops after this long per variant, timed where it is")
    args = parser.parse_args()
    if args.postgres and not os.environ.get("SHOP_TEST_DATABASE_URL"):
        parser.error("--postgres needs SHOP_TEST_DATABASE_URL (a PostgreSQL server's URL)")
    if args.preload is not None:
        _check_growth(parser, args)
    # The launcher runs its trace receiver either way; off, the processes send it nothing.
    os.environ["OTEL_SDK_DISABLED"] = "false" if args.tracing else "true"
    before = machine()
    run, report = (bench_growth, growth_markdown) if args.preload else (bench, markdown)
    with tempfile.TemporaryDirectory(prefix="shop-bench-") as workdir, \
            ceiling_timer(args, Path(workdir)) as time_ceiling:
        if time_ceiling:
            run = functools.partial(bench, time_ceiling=time_ceiling)
        results = {_label(name, args): run(name, args, Path(workdir)) for name in args.variants}
    text = report(results, before, machine())
    print(text)
    if args.output:
        args.output.write_text(text)


if __name__ == "__main__":
    main()

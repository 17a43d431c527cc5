"""`python -m tests.bench [--variants ...] [--output FILE]`: launches each variant in turn as the
contract suite does (tests/contract/launch.py), measures it, stops it, and prints markdown."""

import argparse
import functools
import os
import secrets
import tempfile
import time
from pathlib import Path

from launcher.variants import VARIANTS
from tests.contract.launch import Registry

from .measure import measure
from .memory import memory
from .report import machine, markdown

IDLE_SETTLE = 1.0  # seconds after healthy before the idle memory is read, as docs/*.md did


def _data_dir(workdir: Path, name: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=workdir))


def bench(variant: str, args, workdir: Path) -> dict:
    """Launch -> healthy (timed), idle memory, the load, memory after it; then stop."""
    token = secrets.token_urlsafe(24)
    postgres = args.postgres and VARIANTS[variant].sql
    registry = Registry(token, functools.partial(_data_dir, workdir),
                        os.environ["SHOP_TEST_DATABASE_URL"] if postgres else None)
    try:
        start = time.perf_counter()
        base_url = registry.base_url(variant, "postgres" if postgres else "sqlite")
        result = {"start_s": time.perf_counter() - start}
        launcher_pid = next(iter(registry.running.values())).process.pid
        time.sleep(IDLE_SETTLE)
        result["idle"] = memory(launcher_pid)
        result["load"] = measure(base_url, token, args.requests, args.clients, args.warmup)
        result["after"] = memory(launcher_pid)
        return result
    finally:
        registry.stop_all()


def _label(variant: str, args) -> str:
    return f"{variant}, PostgreSQL" if args.postgres and VARIANTS[variant].sql else variant


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--requests", type=int, default=300, help="timed requests per endpoint")
    parser.add_argument("--clients", type=int, default=8, help="clients of the concurrent run")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per client")
    parser.add_argument("--postgres", action="store_true",
                        help="SQL variants on SHOP_TEST_DATABASE_URL's server, not SQLite")
    parser.add_argument("--output", type=Path, help="write the markdown here too")
    args = parser.parse_args()
    if args.postgres and not os.environ.get("SHOP_TEST_DATABASE_URL"):
        parser.error("--postgres needs SHOP_TEST_DATABASE_URL (a PostgreSQL server's URL)")
    before = machine()
    with tempfile.TemporaryDirectory(prefix="shop-bench-") as workdir:
        results = {_label(name, args): bench(name, args, Path(workdir)) for name in args.variants}
    text = markdown(results, before, machine())
    print(text)
    if args.output:
        args.output.write_text(text)


if __name__ == "__main__":
    main()

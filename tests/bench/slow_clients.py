"""`python -m tests.bench.slow_clients [--variants ...]`: launches each variant in turn, and on
every port it listens on times normal requests with no slow clients, then with 32 sending their
headers, then 32 sending their body, one byte every 0.5 s (tests/bench/trickle.py). Prints markdown."""

import argparse
import secrets
import tempfile
import time
from pathlib import Path

import requests

from launcher.variants import VARIANTS
from tests.contract.launch import LaunchedVariant

from .report import machine
from .trickle import SlowClients, timed_get

SLOW = 32
MODES = ("none", "headers", "body")
SETTLE = 1.0  # seconds for the slow clients to connect and start before requests are timed


def ports(variant: str, base: int) -> list[tuple[str, int]]:
    """(process name, port) of every process of the variant that listens, public one first."""
    listening = [(p.name, p.port) for p in VARIANTS[variant].processes(base) if p.port is not None]
    return sorted(listening, key=lambda named: named[1])


def wait_healthy(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"port {port} not healthy within {seconds} s")


def wait_announced(launched: LaunchedVariant, seconds: float = 30) -> None:
    """Until `shop up` has seen every process healthy: slow clients before that would starve
    its own health checks, and it would stop the variant."""
    deadline = time.monotonic() + seconds
    while "The shop is up" not in launched.log_path.read_text(errors="replace"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{launched.variant} not announced within {seconds} s")
        time.sleep(0.2)


def timings(port: int, public: bool, mode: str, count: int, timeout: float) -> list[float | None]:
    """Seconds of each normal request (None: no 200 within `timeout`) while `mode` goes on:
    `count` of GET /health, and as many of GET /products on a public port."""
    paths = ["/health"] * count + (["/products"] * count if public else [])
    with SlowClients(port, SLOW if mode != "none" else 0, mode if mode != "none" else "headers"):
        time.sleep(SETTLE if mode != "none" else 0)
        return [timed_get(f"http://127.0.0.1:{port}{path}", timeout) for path in paths]


def label(name: str, offset: int) -> str:
    return f"{name} (P)" if offset == 0 else f"{name} (P+{offset})"


def row(variant: str, name: str, mode: str, times: list[float | None]) -> str:
    answered = [t for t in times if t is not None]
    slowest = f"{max(answered) * 1000:.0f}" if answered else "-"
    slow = "0" if mode == "none" else f"{SLOW} ({mode})"
    return f"| {variant} | {name} | {slow} | {len(times)} | {len(answered)} | {slowest} |"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.slow_clients", description=__doc__)
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--requests", type=int, default=3, help="per path, port and mode")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds a request may take")
    args = parser.parse_args()
    print(f"Machine: {machine()}\n")
    print("| variant | process | slow clients | normal requests | answered | slowest ms |")
    print("| --- | --- | --- | ---: | ---: | ---: |")
    for variant in args.variants:
        launched = LaunchedVariant(variant, secrets.token_urlsafe(24),
                                   Path(tempfile.mkdtemp(prefix=f"slow-{variant}-")), None)
        try:
            launched.wait_until_healthy()
            wait_announced(launched)
            for name, port in ports(variant, launched.port):
                wait_healthy(port)
                for mode in MODES:
                    times = timings(port, port == launched.port, mode, args.requests, args.timeout)
                    print(row(variant, label(name, port - launched.port), mode, times), flush=True)
        finally:
            launched.stop()


if __name__ == "__main__":
    main()

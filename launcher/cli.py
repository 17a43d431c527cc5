"""The `shop` command: `shop up`, `shop seed`, `shop contract`, `shop fuzz`, `shop trace`,
`shop experiment`."""

import argparse
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import requests

from launcher import control, control_room, ports, seed, telemetry
from launcher.experiments import command as experiment
from launcher.processes import StartupFailed, Supervisor
from launcher.variants import VARIANTS

CONTRACT_SUITE = Path(__file__).resolve().parents[1] / "tests" / "contract"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return args.command(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shop", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    up = commands.add_parser("up", help="run a variant (or all) in the foreground")
    up.add_argument("variant", choices=[*VARIANTS, "all"])
    up.add_argument("--port", type=int, help="public port (default: the variant's own); with 'all', "
                    "the first variant's, each next one 100 above")
    up.add_argument("--seed", action="store_true", help="load the demo catalog once healthy")
    up.add_argument("--control-port", type=int, default=control.DEFAULT_PORT,
                    help=f"loopback port of the trace receiver and API (default {control.DEFAULT_PORT})")
    up.set_defaults(command=up_command)
    seed_cmd = commands.add_parser("seed", help="load the demo catalog into a running shop")
    seed_cmd.add_argument("url")
    seed_cmd.set_defaults(command=seed_command)
    contract = commands.add_parser("contract", help="run the contract suite against a URL")
    contract.add_argument("url")
    contract.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed on to pytest")
    contract.set_defaults(command=contract_command)
    fuzz = commands.add_parser("fuzz", help="run schemathesis, the outside fuzzer, against a URL")
    fuzz.add_argument("url")
    fuzz.add_argument("options", nargs=argparse.REMAINDER, help="passed on to schemathesis run")
    fuzz.set_defaults(command=fuzz_command)
    trace = commands.add_parser("trace", help="print a request's trace as a waterfall")
    trace.add_argument("request_id", help="the X-Request-Id the shop answered with")
    trace.add_argument("--control-port", type=int, default=control.DEFAULT_PORT,
                       help="the control port `shop up` was started with")
    trace.set_defaults(command=telemetry.trace_command)
    experiment.add_parser(commands)
    return parser


def up_command(args) -> int:
    if args.variant == "all" and os.environ.get("DATABASE_URL"):
        # The SQL variants' tables share names: on one database they would share the rows.
        sys.exit("shop: DATABASE_URL names one database; start one SQL variant at a time on it")
    names = list(VARIANTS) if args.variant == "all" else [args.variant]
    if taken := ports.taken(names, args.port):
        in_use = ", ".join(f"{number} (for {owner})" for number, owner in taken)
        sys.exit(f"shop: port {in_use} is in use already, by another program or another `shop up`; "
                 "stop it, or start one variant with --port N (it also takes the few ports just above N)")
    token = os.environ.get("SHOP_ADMIN_TOKEN") or secrets.token_urlsafe(24)
    data_dir = Path(os.environ.get("SHOP_DATA_DIR", ".data")).resolve()
    env = os.environ | {"SHOP_ADMIN_TOKEN": token, "SHOP_DATA_DIR": str(data_dir)}
    receiver = telemetry.start_receiver(args.control_port)
    env |= telemetry.child_env(receiver)
    supervisor = Supervisor(env)
    room = control_room.attach(receiver, supervisor, names, args.port, token, data_dir)
    # SIGTERM (docker stop, the contract suite) ends the launcher like Ctrl-C does. SIGINT
    # is set too, because a shell starting `shop &` in a script would have it ignored. The
    # handler only raises a flag: an exception would be raised again by a second signal (make
    # and the process group each send one) in the middle of stopping the processes.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: supervisor.request_stop())
    try:
        urls = {name: _start(supervisor, name, ports.base(names, name, args.port), data_dir)
                for name in names}
        supervisor.wait_healthy()
        if args.seed and not supervisor.stop_requested:
            for url in urls.values():
                seed.seed(url, token)
        if not supervisor.stop_requested:
            _announce(urls, token, data_dir, args.seed, telemetry.announcement(receiver)
                      + control_room.announcement(receiver, room))
        supervisor.supervise()
    except StartupFailed as failure:
        print(f"shop: {failure}", file=sys.stderr)
        return 1
    finally:
        supervisor.stop()
        if receiver:
            receiver.stop()
    return 0


def _start(supervisor: Supervisor, name: str, port: int, data_dir: Path) -> str:
    for process in VARIANTS[name].processes(port):
        supervisor.start(control_room.with_faults(telemetry.in_variant(process, name), data_dir))
    return f"http://127.0.0.1:{port}"


def _announce(urls: dict[str, str], token: str, data_dir: Path, seeded: bool, traces: str) -> None:
    lines = ["", "The shop is up:"]
    lines += [f"  {name:<14} {url}" for name, url in urls.items()]
    lines += [
        f"  admin token    {token}",
        f"  data           {_where(data_dir)}" + ("  (demo catalog loaded)" if seeded else ""),
        traces,
        "",
        f"Try:  curl {next(iter(urls.values()))}/products",
        "A process that dies is restarted. Stop: Ctrl-C",
        "",
    ]
    print("\n".join(lines), flush=True)


def seed_command(args) -> int:
    token = _token_from_env()
    try:
        created = seed.seed(args.url.rstrip("/"), token)
    except requests.RequestException as error:
        print(f"shop: seeding {args.url} failed: {error}", file=sys.stderr)
        return 1
    print(f"Seeded {args.url}: {len(created)} products created, "
          f"{len(seed.CATALOG) - len(created)} already there.")
    return 0


def contract_command(args) -> int:
    _need_checkout("contract")
    env = os.environ | {"SHOP_CONTRACT_URL": args.url.rstrip("/"),
                        "SHOP_ADMIN_TOKEN": _checked_token(args.url)}
    command = [sys.executable, "-m", "pytest", str(CONTRACT_SUITE), *args.pytest_args]
    return subprocess.call(command, env=env)


def fuzz_command(args) -> int:
    _need_checkout("fuzz")
    env = os.environ | {"SHOP_ADMIN_TOKEN": _checked_token(args.url)}
    command = [sys.executable, "-m", "tests.contract.fuzz", args.url, *args.options]
    return subprocess.call(command, env=env, cwd=CONTRACT_SUITE.parents[1])


def _need_checkout(command: str) -> None:
    if not CONTRACT_SUITE.is_dir():
        sys.exit(f"shop {command} runs the contract suite in tests/contract/, which an installed package "
                 "does not ship: run it from a checkout of the repository (make install there)")


def _checked_token(url: str) -> str:
    """SHOP_ADMIN_TOKEN, once the shop at `url` has taken it: a wrong one would fail every admin
    test late, and a fuzzer would only see 401s where it should reach the shop's rules."""
    token = _token_from_env()
    try:
        answer = requests.get(f"{url.rstrip('/')}/notifications", params={"order_id": "token-check"},
                              headers={"Authorization": f"Bearer {token}"}, timeout=10)
    except requests.RequestException as error:
        sys.exit(f"shop: cannot reach {url}: {error}")
    if answer.status_code != 200:
        sys.exit(f"shop: {url} answered {answer.status_code} to the admin token in SHOP_ADMIN_TOKEN; "
                 "set it to the token the shop was started with (its banner prints it)")
    return token


def _token_from_env() -> str:
    token = os.environ.get("SHOP_ADMIN_TOKEN")
    if not token:
        sys.exit("shop: set SHOP_ADMIN_TOKEN to the admin token the shop was started with")
    return token


def _where(data_dir: Path) -> str:
    return "the database at DATABASE_URL" if os.environ.get("DATABASE_URL") else str(data_dir)

"""The processes of a launched variant, found by walking /proc down from the launcher's pid,
each named by its kind ("orders master", "orders worker", "relay", "serverless-aws", ...)."""

import contextlib
import os
import signal
from dataclasses import dataclass
from pathlib import Path

from launcher.variants import VARIANTS

# A module a process runs (`-m module`) -> the launcher's name for it.
MODULES = {"microservices.orders.relay": "relay", "serverless.local.aws": "serverless-aws",
           "serverless.runner": "serverless"}
# Modules that become a gunicorn master in their own process: its workers are forks with the same argv.
GUNICORN_MODULES = {"serverless.runner"}


@dataclass(frozen=True)
class Found:
    pid: int
    pgid: int
    kind: str
    port: int | None  # where its health answers (a worker: its master's port)


def expected_kinds(variant: str) -> list[str]:
    """Every kind of process the variant has, in the launcher's order: a gunicorn process is
    a master and its workers."""
    kinds = []
    for process in VARIANTS[variant].processes(1):
        is_gunicorn = "gunicorn" in process.argv or bool(GUNICORN_MODULES & set(process.argv))
        kinds += [f"{process.name} master", f"{process.name} worker"] if is_gunicorn else [process.name]
    return kinds


def find(launcher_pid: int) -> list[Found]:
    """The launcher's children and grandchildren, classified; unknown ones are left out."""
    table = _process_table()
    found = []
    for pid in _descendants(launcher_pid, table):
        argv = table[pid][1]
        parent_argv = table.get(table[pid][0], (0, []))[1]
        kind, port = _classify(argv, parent_argv)
        try:
            pgid = os.getpgid(pid)
        except ProcessLookupError:  # it ended while we looked
            continue
        if kind:
            found.append(Found(pid, pgid, kind, port))
    return found


def _classify(argv: list[str], parent_argv: list[str]) -> tuple[str | None, int | None]:
    if "gunicorn" in argv:
        app = next(a for a in argv if a.endswith(":create_app()"))
        name = _gunicorn_name(app.removesuffix(".app:create_app()"))
        port = int(argv[argv.index("--bind") + 1].rsplit(":", 1)[1])
        return f"{name} {'worker' if 'gunicorn' in parent_argv else 'master'}", port
    for module, name in MODULES.items():
        if module in argv:
            port = int(argv[argv.index("--port") + 1]) if "--port" in argv else None
            if module in GUNICORN_MODULES:
                return f"{name} {'worker' if module in parent_argv else 'master'}", port
            return name, port
    return None, None


def _gunicorn_name(module: str) -> str:
    # monolith -> monolith, services.orders -> services-orders, microservices.orders -> orders
    return module.removeprefix("microservices.").replace(".", "-")


def _process_table() -> dict[int, tuple[int, list[str]]]:
    """pid -> (parent pid, argv) of every process we may read."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # it ended while we looked
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        table[int(entry.name)] = (parent, [a.decode(errors="replace") for a in argv if a])
    return table


def _descendants(root: int, table: dict) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return sorted(found)


def kill_groups(pgids: set[int]) -> list[int]:
    """SIGKILL to what is left of the process groups in `pgids` (only the shop's own processes,
    in case a number was reused); the pids it found."""
    table = _process_table()
    left = [pid for pid in table if _group(pid) in pgids and _is_shop(table[pid][1])]
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return left


def _group(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def _is_shop(argv: list[str]) -> bool:
    return "launcher" in argv or "gunicorn" in argv or any(m in argv for m in MODULES)

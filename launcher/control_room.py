"""The control room as `shop up` sets it up: a Room on the control port's app once the
supervisor exists, a faults file named in every process's environment, and its banner line."""

import dataclasses
import os
import secrets
from pathlib import Path

from launcher import control, faults, ports
from launcher.processes import Supervisor
from launcher.room import Room
from launcher.variants import VARIANTS, Process


def attach(receiver: control.ControlServer | None, supervisor: Supervisor, names: list[str],
           port: int | None, admin_token: str, data_dir: Path) -> Room:
    bases = {name: ports.base(names, name, port) for name in names}
    room = Room(supervisor, {name: f"http://127.0.0.1:{base}" for name, base in bases.items()},
                {name: [p.name for p in VARIANTS[name].processes(base)] for name, base in bases.items()},
                os.environ.get("SHOP_CONTROL_TOKEN") or secrets.token_urlsafe(24), admin_token, data_dir)
    room.clear_all_faults()  # a new run starts without the faults of the last one
    if receiver is not None:
        receiver.app.extensions["room"] = room
    return room


def with_faults(process: Process, data_dir: Path) -> Process:
    return dataclasses.replace(process, env=process.env | {
        faults.ENV: str(faults.path(data_dir, process.name))})


def announcement(receiver: control.ControlServer | None, room: Room) -> str:
    if receiver is None:
        return "\n  control room   off (its port is taken)"
    return f"\n  control room   {receiver.url}/?token={room.token}"

"""The control room's JSON API, beside the trace API on the control port: the variants and
their processes, an action on one, its faults, its logs, and the experiments' results."""

import json

from flask import Blueprint, Response, current_app, jsonify, request

from launcher import faults
from launcher.room import ACTIONS, NoSuchProcess, NotNow, Room
from launcher.room_guard import problem

api = Blueprint("room", __name__)


@api.before_request
def _started():
    if "room" not in current_app.extensions:  # the receiver starts before the processes do
        return problem(503, "Starting", "The processes are starting; ask again in a moment.")
    return None


@api.get("/api/variants")
def variants():
    return jsonify(_room().variants())


@api.post("/api/processes/<name>/<action>")
def act(name: str, action: str):
    if action not in ACTIONS:
        return problem(404, "No such action", f"An action is one of {', '.join(ACTIONS)}.")
    _room().act(name, action)
    return jsonify({"name": name, "action": action})


@api.post("/api/processes/<name>/faults")
def set_faults(name: str):
    try:
        wanted = faults.parse(request.get_json(force=True, silent=True))
    except ValueError as error:  # a body that is not JSON, or not faults
        return problem(400, "Invalid faults", str(error))
    _room().set_faults(name, wanted)
    return jsonify(vars(wanted))


@api.delete("/api/processes/<name>/faults")
def clear_faults(name: str):
    _room().set_faults(name, faults.Faults())
    return jsonify(vars(faults.Faults()))


@api.get("/api/logs/<name>")
def logs(name: str):
    _room().faults_of(name)  # 404 for a name that is none of the processes
    try:
        after = int(request.args.get("after", "0"))
    except ValueError:
        return problem(400, "Invalid after", "after is the number of the last line already read.")
    lines = _room().supervisor.logbook.lines(name, after, request.args.get("request_id") or None)
    return jsonify({"name": name, "lines": lines})


@api.get("/api/experiments")
def experiments():
    """The latest result of each `shop experiment`, as it wrote it: top-level members only."""
    found = []
    for file in sorted((_room().data_dir / "experiments").glob("*.json")):
        try:
            result = json.loads(file.read_text())
        except (OSError, ValueError):  # being written, or not one of them
            continue
        summary = {k: v for k, v in result.items() if not isinstance(v, (dict, list))} \
            if isinstance(result, dict) else {}
        found.append({"name": file.stem, "summary": summary})
    return jsonify(found)


@api.errorhandler(NoSuchProcess)
def _no_such_process(error: NoSuchProcess) -> Response:
    return problem(404, "No such process", str(error))


@api.errorhandler(NotNow)
def _not_now(error: NotNow) -> Response:
    return problem(409, "Not in this state", str(error))


def _room() -> Room:
    return current_app.extensions["room"]

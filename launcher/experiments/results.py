"""An experiment's result: one JSON document of the same shape for every experiment (what the
control room shows generically), its table printed for the terminal, and where it is written."""

import datetime
import json
import os
import platform
import textwrap
from pathlib import Path


def default_dir() -> Path:
    return Path(os.environ.get("SHOP_DATA_DIR", ".data")).resolve() / "experiments"


def machine() -> dict:
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}


def result(name: str, claims: list[str], columns: list[str], rows: list[list], **more) -> dict:
    """`table` is what the experiment shows; `findings` says it in words; anything else is detail."""
    return {"experiment": name, "claims": claims,
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": machine(), "table": {"columns": columns, "rows": rows}} | more


def write(document: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    return path


def render(document: dict) -> str:
    columns, rows = document["table"]["columns"], document["table"]["rows"]
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max(len(str(c)), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(columns, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines += [textwrap.fill(note, 100, initial_indent="  ", subsequent_indent="    ")
              for note in document.get("notes", [])]
    lines += [f"* {finding}" for finding in document.get("findings", [])]
    return f"{document['experiment']} ({', '.join(document['claims'])})\n" + "\n".join(lines)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return "-" if value is None else str(value)


def percentile(values: list[float], p: float) -> float | None:
    """Nearest rank; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[int(max(1, -(-len(ordered) * p // 100))) - 1]

"""Where the stream event source stopped, on disk, as Lambda keeps an event source mapping's
position: so that a runner killed and started again goes on from there, and a change it had
not delivered is still announced.

One small JSON file per stream, {"stream": ARN, "shards": {shard id: last sequence number
done}}, replaced whole (written beside it, flushed to disk, renamed over it), so that a kill at
any moment leaves the old position or the new one. A position of another stream (the local
AWS's data was removed, and the table made again: its stream has another ARN) is not used.
"""

import json
import os
from pathlib import Path


def read(path: Path, stream_arn: str) -> dict[str, str]:
    try:
        saved = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    return dict(saved["shards"]) if saved.get("stream") == stream_arn else {}


def write(path: Path, stream_arn: str, done: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with open(partial, "w") as file:
        json.dump({"stream": stream_arn, "shards": done}, file)
        file.flush()
        os.fsync(file.fileno())
    partial.replace(path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself, on disk
    finally:
        os.close(directory)

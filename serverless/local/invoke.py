"""Calling a handler the way Lambda does: with an event and a context object.

What it does not do: start a fresh container (every "container" here is this one process,
so caches are always warm), enforce the Timeout or the memory size, or check IAM permissions.
"""

import time
import uuid
from dataclasses import dataclass, field

TIMEOUT_SECONDS = 10  # the functions' Timeout in template.yaml


@dataclass
class Context:
    """The parts of Lambda's context object a handler may use."""
    function_name: str
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    memory_limit_in_mb: int = 256
    started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.started + TIMEOUT_SECONDS - time.monotonic()) * 1000))

    def elapsed_ms(self) -> float:
        return (time.monotonic() - self.started) * 1000


def invoke(function_name: str, handler, event: dict) -> tuple[dict, Context]:
    """The handler's answer, and the context it ran with (for the caller's log line)."""
    context = Context(function_name)
    return handler(event, context), context

"""A message's retention read from its queue, where moto recomputes every attribute of the queue.

For each message a ReceiveMessage hands out, moto checks that the message is within its queue's
MessageRetentionPeriod by asking for the queue's attributes, three times over; each time it
counts the queue's messages three ways, by looking at every one. A receive thus cost in
proportion to the square of the messages waiting: when the worker fell behind, every receive
slowed it down further. Here the check reads the one attribute it needs.
"""

import functools

from moto.core.utils import unix_time
from moto.sqs.models import SQSBackend


def patches() -> list[tuple]:
    """(owner, name, replace): see moto_patches.Patch."""
    return [(SQSBackend, "is_message_valid_based_on_retention_period", _from_the_queue)]


def _from_the_queue(original):
    @functools.wraps(original)
    def is_message_valid_based_on_retention_period(backend, queue_name: str, message) -> bool:
        retention = backend.get_queue(queue_name).message_retention_period
        return retention + message.sent_timestamp / 1000 > unix_time()
    return is_message_valid_based_on_retention_period

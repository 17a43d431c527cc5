"""What one call changed in moto, noted where moto makes the change, so that the journal
(journal.py) writes exactly that to disk, whichever API the change came through.

Every item write of DynamoDB, alone, in a batch or in a transaction, goes through the backend's
put_item, update_item or delete_item; every message enters a queue through Queue.add_message
(sent, or moved to a dead-letter queue on a receive) and leaves it through Queue.delete_message.
Those and the table and queue calls are wrapped (moto_patches.py installs them); each wrapper
notes (kind, where, what) in the list of the call its thread is serving, if any.
"""

import contextlib
import functools
import threading

from moto.dynamodb.models import DynamoDBBackend
from moto.sqs.models import Queue, SQSBackend

_call = threading.local()  # werkzeug serves each request in a thread of its own


@contextlib.contextmanager
def recording():
    """The changes the code inside makes, in the order made."""
    changes: list = []
    _call.changes = changes
    try:
        yield changes
    finally:
        _call.changes = None


def _note(*change) -> None:
    changes = getattr(_call, "changes", None)
    if changes is not None:
        changes.append(change)


def patches() -> list[tuple]:
    """(owner, name, replace): see moto_patches.Patch."""
    items = [(DynamoDBBackend, name, _after(lambda backend, *args, **kwargs: _note(
        "item", backend, *_arguments(args, kwargs, ("table_name", "item_attrs", "key"))[:2])))
        for name in ("put_item", "update_item", "delete_item")]  # (table name, item or key, ...)
    tables = [(DynamoDBBackend, name, _after(lambda backend, *args, **kwargs: _note(
        "table", backend, *_arguments(args, kwargs, ("name", "table_name"))[:1])))
        for name in ("create_table", "update_table", "update_time_to_live", "delete_table")]
    queues = [(Queue, "add_message", _after(lambda queue, message: _note("message", queue, message))),
              (SQSBackend, "create_queue", _after(_given)),
              (SQSBackend, "set_queue_attributes",
               _after(lambda backend, name, attributes: _given(backend, name, **attributes))),
              (SQSBackend, "delete_queue",
               _after(lambda backend, name: _note("queue deleted", backend, name))),
              (SQSBackend, "purge_queue", _after(lambda backend, name: _note("purged", backend, name))),
              (Queue, "delete_message", _noting_deletion)]
    return items + tables + queues


def _noting_deletion(original):
    @functools.wraps(original)
    def delete_message(queue, receipt_handle):
        # Found before moto drops it: afterwards nothing tells which message the handle was.
        gone = next((m.id for m in queue._messages if m.had_receipt_handle(receipt_handle)), None)
        original(queue, receipt_handle)
        if gone is not None:
            _note("message deleted", queue, gone)
    return delete_message


def _given(backend, name: str, tags=None, **attributes) -> None:
    """moto keeps a queue's attributes in its own shapes; the ones given are what make it again."""
    queue = backend.queues[name]
    queue.given_attributes = getattr(queue, "given_attributes", {}) | attributes
    _note("queue", backend, name)


def _arguments(args: tuple, kwargs: dict, names: tuple[str, ...]) -> tuple:
    """The leading arguments, whether moto passed them by position or by one of these names."""
    return args + tuple(kwargs[name] for name in names if name in kwargs)


def _after(note):
    """What wraps a method so that it calls note with the same arguments once it has succeeded."""
    def replace(original):
        @functools.wraps(original)
        def noting(*args, **kwargs):
            result = original(*args, **kwargs)
            note(*args, **kwargs)
            return result
        return noting
    return replace

"""Every change the local AWS makes to moto's own code, in one list, for the one moto version it
was written against (pyproject.toml pins it; check_version refuses any other).

- changes.py: the journal's tap, wrappers that note what each call changed (put, update and
  delete of items; tables; queues and their messages), so that it is on disk before the answer.
- transactions.py: a refused TransactWriteItems is undone item by item, from copies of the items
  it names, where moto copies every table it touches before it starts (cost grew with the data).
- queries.py: a Query reads the items of its key (or of its index key) only, where moto sorts
  and filters the whole table on every call.
- streams.py: a stream keeps its records RETENTION_SECONDS and its newest iterators only, where
  moto keeps everything it ever wrote.
- queues.py: a ReceiveMessage checks each message's retention against its queue's setting,
  where moto recounted every message of the queue, three times, for each message it handed out.
- here: moto's models stop keeping a reference to every object they ever made, for a dashboard
  the local AWS does not serve: items deleted, records trimmed and messages gone were kept.

SOURCES holds the hash of the moto code each patch relies on; a test holds moto to it, so that
another moto fails a test instead of silently changing a guarantee, and each patch has a test
of what it repairs that fails without it (tests/integration/test_serverless_local_moto_patches.py).
"""

import inspect
from collections.abc import Callable
from hashlib import sha256
from types import ModuleType
from typing import NamedTuple

import moto
from moto.core.common_models import BaseModel

from serverless.local import changes, queries, queues, streams, transactions

MOTO_VERSION = "5.2.5"


class Patch(NamedTuple):
    owner: type | ModuleType
    name: str
    replace: Callable  # the original -> what takes its place
    of: tuple = ()  # the moto code the patch relies on; none given: the original alone

    @property
    def label(self) -> str:
        return f"{self.owner.__name__}.{self.name}"


# source_hash(*patch.of) for each patch, as moto 5.2.5 has that code: a test compares.
SOURCES = {
    "DynamoDBBackend.put_item": "f5d9a5042c77", "DynamoDBBackend.update_item": "218984588dd6",
    "DynamoDBBackend.delete_item": "083a4bb1af18", "DynamoDBBackend.create_table": "2bb8105ad9fa",
    "DynamoDBBackend.update_table": "3fa85dce71a0", "DynamoDBBackend.update_time_to_live": "9da0deb00bb2",
    "DynamoDBBackend.delete_table": "bab269fa8eff", "Queue.add_message": "f27c9231c1f2",
    "SQSBackend.create_queue": "a7c0bbae0c42", "SQSBackend.set_queue_attributes": "ea0bf1a56eef",
    "SQSBackend.delete_queue": "4c96ec6f1424", "SQSBackend.purge_queue": "443ea1ae7b15",
    "Queue.delete_message": "fa6fd5b9bd2c", "moto.dynamodb.models.copy": "28c7c91c667d",
    "DynamoDBBackend.transact_write_items": "81db2cb7d94e", "Table.query": "002b4d00be6d",
    "Table.all_items": "4bbab4096d29", "Table.put_item": "de23933013ef",
    "DynamoDBStreamsBackend.get_shard_iterator": "f38f8e72998c",
    "DynamoDBStreamsBackend.get_records": "a20e3b06a49f",
    "SQSBackend.is_message_valid_based_on_retention_period": "cca23b94a5f3",
    "BaseModel.__new__": "08cf0ef20e88",
}


def check_version() -> None:
    if moto.__version__ != MOTO_VERSION:
        raise SystemExit(f"The local AWS needs moto=={MOTO_VERSION} (its patches are written for "
                         f"it), not {moto.__version__}: run `make install` again.")


def patches() -> list[Patch]:
    return [Patch(*entry) for module in (changes, transactions, queries, streams, queues)
            for entry in module.patches()] + [Patch(BaseModel, "__new__", lambda _: _untracked)]


def _untracked(cls, *args, **kwargs):
    return object.__new__(cls)


_originals: list[tuple[object, str, object]] = []  # (owner, name, what it held), once installed


def install() -> None:
    """Idempotent: the local AWS calls it at its start, and tests as often as they like."""
    if _originals:
        return
    for patch in patches():
        _originals.append((patch.owner, patch.name, vars(patch.owner)[patch.name]))
        setattr(patch.owner, patch.name, patch.replace(getattr(patch.owner, patch.name)))


def uninstall() -> None:
    """moto as it comes, for the tests that show what each patch repairs."""
    while _originals:
        owner, name, original = _originals.pop()
        setattr(owner, name, original)


def source_hash(*code) -> str:
    """The first 12 hex digits of the sha256 of their source, one after the other."""
    return sha256("".join(map(inspect.getsource, code)).encode()).hexdigest()[:12]

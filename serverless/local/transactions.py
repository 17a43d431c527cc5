"""A refused TransactWriteItems undone from copies of the items it names, not of whole tables.

moto applies a transaction's writes one by one and, when one is refused, puts back a deep copy
of every table the transaction touched, taken before it started: a copy of every order, for
each order placed. Here moto's copy of a table is the table itself (so its undo changes
nothing), and the transaction's own undo puts back a copy of each item it names, as it was,
and takes the stream records it added off the end of the stream. Only moto's
transact_write_items writes those items, and only under the keys its operations name (a key it
cannot read is refused before anything is written), so what is put back is all it changed.
The table stays the same object: a stream iterator taken before still reads the right stream.
"""

import copy
import functools

from moto.dynamodb import models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table

from serverless.local import queries


class _TablesShared:
    """What moto.dynamodb.models calls `copy`: deepcopy hands back a table, copies all else."""

    @staticmethod
    def deepcopy(value, memo=None):
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def patches() -> list[tuple]:
    """(owner, name, replace, of): see moto_patches.Patch."""
    return [(models, "copy", lambda _: _TablesShared,  # what moto deep-copies in that module
             (DynamoDBBackend.transact_write_items, DynamoDBBackend.update_item)),
            (DynamoDBBackend, "transact_write_items", _undone_when_refused)]


def _undone_when_refused(original):
    @functools.wraps(original)
    def transact_write_items(backend, transact_items):
        before = _as_they_are(backend, transact_items)
        try:
            return original(backend, transact_items)
        except Exception:  # whatever moto raises, it has undone its part: now ours
            _put_back(before)
            raise
    return transact_write_items


def _as_they_are(backend, transact_items) -> list[tuple]:
    """(table, length of its stream, {key: a copy of its item, or None}) for each table named."""
    tables: dict[str, tuple] = {}
    for operation in transact_items:
        for kind, op in (operation.items() if isinstance(operation, dict) else ()):
            table = backend.tables.get(op.get("TableName")) if isinstance(op, dict) else None
            if table is None:
                continue
            key = _key(table, op.get("Item") if kind == "Put" else op.get("Key"))
            if key is not None:
                items = tables.setdefault(table.name, (table, _stream_length(table), {}))[2]
                items.setdefault(key, copy.deepcopy(queries.current(table, key)))
    return list(tables.values())


def _key(table, attributes) -> tuple | None:
    names = table.table_key_attrs
    if not isinstance(attributes, dict) or not all(isinstance(attributes.get(n), dict) for n in names):
        return None
    return tuple(DynamoType(attributes[n]) for n in names) + (None,) * (2 - len(names))


def _stream_length(table) -> int | None:
    return None if table.stream_shard is None else len(table.stream_shard.items)


def _put_back(before: list[tuple]) -> None:
    for table, stream_length, items in before:
        for (hash_key, range_key), item in items.items():
            if range_key is None:
                table.items.pop(hash_key, None)
            else:
                table.items.get(hash_key, {}).pop(range_key, None)
            if item is not None:
                _put(table, hash_key, range_key, item)
            elif range_key is not None and not table.items.get(hash_key, True):
                del table.items[hash_key]  # as moto's copy had it: no empty group for that key
        if stream_length is not None:
            del table.stream_shard.items[stream_length:]


def _put(table, hash_key, range_key, item) -> None:
    if range_key is None:
        table.items[hash_key] = item
    else:
        table.items[hash_key][range_key] = item
    queries.indexed(table, item)

"""A Query that reads the items of its key only, as DynamoDB's does.

moto's Table.query starts from all_items(), every item of the table, sorted, and keeps the
ones with the key asked for: each query cost more than the one before. Here, while a query
runs, all_items() answers only the items that can match: those under the table's hash key, or,
for a global secondary index, those an index of the index's hash key names. moto then does what
it always does with them (conditions, order, pages, filters), so the answer is the same.

The index maps each index key value to the items that had it when written (Table.put_item and
moto's in-place update_item). An entry can outlive its value (an update, a delete): each is
checked against the item as it is now. It is made from the whole table at the first query.
"""

import functools
import inspect
import threading

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table

_query = threading.local()  # the (table, items) the query running in this thread may read


def patches() -> list[tuple]:
    """(owner, name, replace, of): see moto_patches.Patch."""
    return [(Table, "query", _narrowed),
            (Table, "all_items", _only_candidates, (Table.all_items, Table.query)),
            (Table, "put_item", _indexing),
            (DynamoDBBackend, "update_item", _indexing_update)]


def _narrowed(original):
    signature = inspect.signature(original)

    @functools.wraps(original)
    def query(table, *args, **kwargs):
        asked = signature.bind(table, *args, **kwargs).arguments
        _query.candidates = (table, _candidates(table, asked))
        try:
            return original(table, *args, **kwargs)
        finally:
            _query.candidates = None
    return query


def _only_candidates(original):
    @functools.wraps(original)
    def all_items(table):
        narrowed, candidates = getattr(_query, "candidates", None) or (None, None)
        if narrowed is not table or candidates is None:
            return original(table)
        # moto's own order, for the same answer from the same items
        return sorted(candidates, key=lambda x: (x.hash_key, x.range_key) if x.range_key else x.hash_key)
    return all_items


def _candidates(table, asked: dict) -> list | None:
    """The items the query can match, or None: all of them."""
    index_name, hash_key = asked.get("index_name"), asked.get("hash_key")
    if index_name is None:
        if hash_key is None or hash_key not in table.items:
            return None if hash_key is None else []
        found = table.items[hash_key]
        return list(found.values()) if table.range_key_attr else [found]
    index = next((i for i in table.global_indexes if i.name == index_name), None)
    conditions = dict(asked.get("hash_key_conditions") or ())
    names = [key["AttributeName"] for key in (index.schema if index else ()) if key["KeyType"] == "HASH"]
    if len(names) != 1 or names[0] not in conditions:
        return None
    value, keys = conditions[names[0]], _index(table).get(index_name, {}).get(conditions[names[0]], {})
    found = [current(table, key) for key in keys]
    return [item for item in found if item is not None and item.attrs.get(names[0]) == value]


def current(table, key: tuple):
    """The item under (hash key, range key or None), or None; unlike Table.get_item, without
    leaving an empty group behind in moto's defaultdict."""
    group = table.items.get(key[0])
    return group if key[1] is None or group is None else group.get(key[1])


def _index(table) -> dict:
    """{index name: {hash key value: {(hash key, range key): None}}}, made at the first query."""
    if not hasattr(table, "shop_index"):
        table.shop_index = {}
        for item in table.all_items():  # all of them: no query is narrowing it yet
            indexed(table, item)
    return table.shop_index


def indexed(table, item) -> None:
    """Notes an item written, under each of its values of a global secondary index's hash key."""
    index = getattr(table, "shop_index", None)
    if index is None:
        return
    for gsi in table.global_indexes:
        name = next(k["AttributeName"] for k in gsi.schema if k["KeyType"] == "HASH")
        if (value := item.attrs.get(name)) is not None:
            index.setdefault(gsi.name, {}).setdefault(value, {})[(item.hash_key, item.range_key)] = None


def _indexing(original):
    @functools.wraps(original)
    def put_item(table, *args, **kwargs):
        item = original(table, *args, **kwargs)
        indexed(table, item)
        return item
    return put_item


def _indexing_update(original):
    @functools.wraps(original)
    def update_item(backend, table_name, *args, **kwargs):
        item = original(backend, table_name, *args, **kwargs)
        indexed(backend.get_table(table_name), item)
        return item
    return update_item

"""Writes to disk what a call changed in moto (changes.py), before the local AWS answers it.

For an item: its current image in moto, or its removal, whatever the call did to it (a refused
transaction leaves the image it had). For a table with a stream: the records the call added,
numbered as moto numbered them. For a queue: its attributes; for a message: its arrival, its
move to another queue, its deletion. The cost of a call is the rows it changed, whatever the
size of the tables.
"""

from moto.dynamodb.models.dynamo_type import DynamoType

from serverless.local import store
from serverless.local.restore import backend_name, message_fields, table_definition
from serverless.local.store import Store


class Journal:
    def __init__(self, store: Store):
        self.store = store
        self.streams: dict[tuple[str, str], tuple[str | None, int]] = {}  # written: label, next number

    def write(self, changes: list[tuple]) -> None:
        statements, streams, items = [], {}, set()
        for kind, where, *what in changes:
            if kind == "item":
                table = where.tables.get(what[0])
                key = table and {name: what[1][name] for name in table.table_key_attrs}
                if table is None or (id(where), table.name, store.key_text(key)) in items:
                    continue
                items.add((id(where), table.name, store.key_text(key)))
                statements.append(_item(where, table, key))
                streams[(backend_name(where), table.name)] = table
            else:
                statements.extend(getattr(self, "_" + kind.replace(" ", "_"))(where, *what))
        for (backend, _name), table in streams.items():
            statements.extend(self._records(backend, table))
        self.store.write(statements)
        for (backend, _), table in streams.items():
            self.knows_stream(backend, table)

    def knows_stream(self, backend: str, table) -> None:
        shard = table.stream_shard
        if shard is not None:
            self.streams[(backend, table.name)] = (
                table.latest_stream_label, shard.starting_sequence_number + len(shard.items))

    def _records(self, backend: str, table) -> list:
        shard = table.stream_shard
        if shard is None:
            return []
        label, written = self.streams.get((backend, table.name), (None, 0))
        first_new = written - shard.starting_sequence_number if label == table.latest_stream_label else 0
        new = [(int(r.record["dynamodb"]["SequenceNumber"]), r.record)
               for r in shard.items[max(0, first_new):]]
        return store.put_records(backend, table.name, new, shard.starting_sequence_number,
                                 shard.starting_sequence_number + len(shard.items))

    def _table(self, backend, name: str) -> list:
        table = backend.tables.get(name)
        if table is None:
            self.streams.pop((backend_name(backend), name), None)
            return store.drop_table(backend_name(backend), name)
        label, _ = self.streams.get((backend_name(backend), name), (None, 0))
        shard = table.stream_shard
        next_sequence = shard and shard.starting_sequence_number + len(shard.items)
        statements = store.put_table(backend_name(backend), name, table_definition(table),
                                     next_sequence, new_stream=label != table.latest_stream_label)
        self.knows_stream(backend_name(backend), table)
        return statements

    def _message(self, queue, message) -> list:
        return [store.put_message(f"{queue.account_id}/{queue.region}", queue.name, message_fields(message))]

    def _message_deleted(self, queue, message_id: str) -> list:
        return [store.drop_message(message_id)]

    def _queue(self, backend, name: str) -> list:
        return [store.put_queue(backend_name(backend), name, backend.queues[name].given_attributes)]

    def _queue_deleted(self, backend, name: str) -> list:
        return store.drop_queue(backend_name(backend), name)

    def _purged(self, backend, name: str) -> list:
        return [store.purge(backend_name(backend), name)]


def _item(backend, table, key: dict) -> tuple:
    found = table.get_item(*[DynamoType(key[name]) for name in table.table_key_attrs])
    return store.put_item(backend_name(backend), table.name, key, found and found.to_json()["Attributes"])

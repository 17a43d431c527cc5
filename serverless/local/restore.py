"""moto's tables, streams, queues and messages as the store keeps them (store.py), and back:
what the local AWS loads into moto at its start, before /health says ok.

Items go in with the stream still off, so that loading writes no records; then the stream is
switched on under its old label (its ARN stays the same, and with it the runner's place in it)
and given back its records and their numbering.
"""

import datetime
import json

from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import StreamRecord
from moto.sqs.models import Message, sqs_backends

from serverless.local.store import Store

MESSAGE_FIELDS = ("id", "body", "message_attributes", "sent_timestamp", "group_id",
                  "deduplication_id", "sequence_number", "system_attributes", "delayed_until")


def backend_name(backend) -> str:
    return f"{backend.account_id}/{backend.region_name}"


def table_definition(table) -> dict:
    return {"schema": table.schema, "attr": table.attr, "billing_mode": table.billing_mode,
            "throughput": {k: v for k, v in table.throughput.items() if k.endswith("CapacityUnits")},
            "global_indexes": _indexes(table.global_indexes), "indexes": _indexes(table.indexes),
            "deletion_protection_enabled": table.deletion_protection_enabled, "ttl": table.ttl,
            "stream": table.stream_specification, "stream_label": table.latest_stream_label}


def _indexes(found) -> list[dict]:
    return [{"IndexName": i.name, "KeySchema": i.schema, "Projection": i.projection} for i in found]


def message_fields(message: Message) -> dict:
    return {field: getattr(message, field) for field in MESSAGE_FIELDS}


def load(store: Store, journal) -> None:
    for backend, name, definition, next_sequence in store.rows(
            "SELECT backend, name, definition, next_sequence FROM tables ORDER BY rowid"):
        table = _table(_backend(dynamodb_backends, backend), name, json.loads(definition))
        for (item,) in store.rows("SELECT item FROM items WHERE backend = ? AND table_name = ?",
                                  backend, name):
            table.put_item(json.loads(item))
        _stream(store, table, backend, json.loads(definition), next_sequence)
        journal.knows_stream(backend, table)
    queues = store.rows("SELECT backend, name, attributes FROM queues ORDER BY rowid")
    for backend, name, attributes in queues:
        _backend(sqs_backends, backend).create_queue(name, **json.loads(attributes))
    for backend, queue, message in store.rows("SELECT backend, queue, message FROM messages ORDER BY rowid"):
        _backend(sqs_backends, backend).queues[queue]._messages.append(_message(json.loads(message)))


def _backend(backends, name: str):
    account, region = name.split("/")
    return backends[account][region]


def _table(backend, name: str, saved: dict):
    table = backend.create_table(
        name, schema=saved["schema"], throughput=saved["throughput"] or None, attr=saved["attr"],
        global_indexes=saved["global_indexes"], indexes=saved["indexes"], streams=None,
        billing_mode=saved["billing_mode"], sse_specification=None, tags=[],
        deletion_protection_enabled=saved["deletion_protection_enabled"], warm_throughput=None)
    table.ttl = saved["ttl"]
    return table


def _stream(store: Store, table, backend: str, saved: dict, next_sequence: str | None) -> None:
    if not (saved["stream"] or {}).get("StreamEnabled"):
        return
    table.set_stream_specification(dict(saved["stream"]))
    table.latest_stream_label = saved["stream_label"]
    rows = store.rows("SELECT sequence, record FROM stream_records WHERE backend = ? AND table_name = ? "
                      "ORDER BY sequence", backend, table.name)
    shard = table.stream_shard
    start = rows[0][0] if rows else next_sequence
    if start is not None:
        shard.starting_sequence_number = int(start)
    shard.items = [_record(json.loads(record)) for _, record in rows]


def _record(saved: dict) -> StreamRecord:
    # moto annotates BaseModel.__new__ as returning BaseModel, not the class it makes.
    record: StreamRecord = StreamRecord.__new__(StreamRecord)  # type: ignore[assignment]
    change = saved["dynamodb"]
    change["ApproximateCreationDateTime"] = datetime.datetime.fromisoformat(
        change["ApproximateCreationDateTime"])
    record.record = saved
    return record


def _message(saved: dict) -> Message:
    message = Message(saved["id"], saved["body"], saved["system_attributes"])
    for field in MESSAGE_FIELDS[2:]:
        setattr(message, field, saved[field])
    return message

"""The tables an older local AWS saved as JSON at a clean stop (serverless-dynamodb.json), moved
once into the store (store.py) that replaced it.

They are loaded through the local AWS's own DynamoDB API, so the journal writes them like any
other call; the stream is switched on after the items are in, so loading announces nothing.
Then the file is renamed, and never read again.
"""

import json
import logging
from pathlib import Path

from serverless.local.store import Store

FILE_NAME = "serverless-dynamodb.json"
BATCH = 25  # BatchWriteItem takes at most 25 items
log = logging.getLogger("shop.serverless.aws")


def migrate(dynamodb, store: Store, path: Path) -> None:
    if not path.exists() or not store.is_empty():
        return
    tables = json.loads(path.read_text())
    for table in tables:
        _load(dynamodb, table)
    path.rename(path.with_suffix(".json.migrated"))
    log.info("moved %d tables from %s into the store", len(tables), path)


def _load(dynamodb, table: dict) -> None:
    name = table["definition"]["TableName"]
    dynamodb.create_table(**table["definition"])
    if table["ttl_attribute"]:
        dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification={
            "AttributeName": table["ttl_attribute"], "Enabled": True})
    for start in range(0, len(table["items"]), BATCH):
        batch = table["items"][start:start + BATCH]
        dynamodb.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": item}}
                                                       for item in batch]})
    if (table.get("stream") or {}).get("StreamEnabled"):
        dynamodb.update_table(TableName=name, StreamSpecification=table["stream"])

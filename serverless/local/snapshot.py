"""The local AWS's tables on disk, so that `shop up serverless` keeps its data across a restart
in SHOP_DATA_DIR, as the SQL variants do.

moto keeps everything in memory. At a clean stop the local AWS saves each table's definition and
items as JSON, through its own DynamoDB API, and loads them again before it reports healthy.
What it does not keep: messages still in the queue (the worker takes them within a second, so
only one in flight at the stop is lost), the orders table's stream (a stream holds changes, and
the loaded items are not changes: the stream is switched on after they are in, and starts empty,
so a change the publisher had not read at the stop, within its 0.1 s poll, is not announced), and
anything at all after a crash (kill -9).
"""

import json
import logging
from pathlib import Path

BATCH = 25  # BatchWriteItem takes at most 25 items
log = logging.getLogger("shop.serverless.aws")


def save(dynamodb, path: Path) -> None:
    tables = [_table(dynamodb, name) for name in dynamodb.list_tables()["TableNames"]]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(tables))
    partial.replace(path)  # a stop cut short leaves the previous snapshot, never half of one
    log.info("saved %d tables, %d items to %s", len(tables),
             sum(len(t["items"]) for t in tables), path)


def _table(dynamodb, name: str) -> dict:
    table = dynamodb.describe_table(TableName=name)["Table"]
    definition = {key: table[key] for key in ("TableName", "KeySchema", "AttributeDefinitions")}
    definition["BillingMode"] = "PAY_PER_REQUEST"
    if table.get("GlobalSecondaryIndexes"):
        definition["GlobalSecondaryIndexes"] = [
            {key: index[key] for key in ("IndexName", "KeySchema", "Projection")}
            for index in table["GlobalSecondaryIndexes"]]
    ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    pages = dynamodb.get_paginator("scan").paginate(TableName=name, ConsistentRead=True)
    return {"definition": definition, "ttl_attribute": ttl.get("AttributeName"),
            "stream": table.get("StreamSpecification"),
            "items": [item for page in pages for item in page["Items"]]}


def load(dynamodb, path: Path) -> None:
    if not path.exists():
        return
    tables = json.loads(path.read_text())
    for table in tables:
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
    log.info("loaded %d tables from %s", len(tables), path)

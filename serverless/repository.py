"""The shop's reads and writes in DynamoDB.

Writes that must happen together are returned as transaction items, and services.py commits
them in one TransactWriteItems: all of them or none.
"""

import time

from serverless import clients, config, dynamodb
from serverless.dynamodb import item, plain, values
from shared import tracing
from shared.orders import CONFIRMED, NewProduct, Order, OrderLine

# The orders table's secondary index: a customer's orders by placement sequence (template.yaml).
ORDERS_BY_CUSTOMER = "by-customer"


def _tables() -> config.Config:
    return config.current()


def list_products() -> list[dict]:
    pages = clients.dynamodb().get_paginator("scan").paginate(
        TableName=_tables().products_table, ConsistentRead=True)
    products = [plain(product) for page in pages for product in page["Items"]]
    return sorted(products, key=lambda product: product["sku"])  # a Scan has no order of its own


def get_product(sku: str) -> dict | None:
    found = clients.dynamodb().get_item(TableName=_tables().products_table,
                                        Key=item({"sku": sku}), ConsistentRead=True)
    return plain(found["Item"]) if "Item" in found else None


def get_products(skus: list[str]) -> dict[str, dict]:
    """The named products that exist, by sku (BatchGetItem, asking again for unprocessed keys)."""
    table = _tables().products_table
    request = {table: {"Keys": [item({"sku": sku}) for sku in skus], "ConsistentRead": True}}
    found: dict[str, dict] = {}
    while request:
        answer = clients.dynamodb().batch_get_item(RequestItems=request)
        found.update((p["sku"], p) for p in map(plain, answer["Responses"].get(table, [])))
        if request := answer.get("UnprocessedKeys"):
            time.sleep(0.05)  # DynamoDB leaves keys unprocessed when it is busy: give it a moment
    return found


def add_product(product: NewProduct) -> None:
    """Raises dynamodb.Conflict when the sku exists already."""
    with dynamodb.refusal_is_conflict():
        clients.dynamodb().put_item(TableName=_tables().products_table, Item=item(vars(product)),
                                    ConditionExpression="attribute_not_exists(sku)")


def add_stock(sku: str, quantity: int) -> dict | None:
    """The product with its new stock, or None if there is no such product."""
    try:
        with dynamodb.refusal_is_conflict():
            answer = clients.dynamodb().update_item(
                TableName=_tables().products_table, Key=item({"sku": sku}),
                UpdateExpression="ADD stock :q", ConditionExpression="attribute_exists(sku)",
                ExpressionAttributeValues=values(q=quantity), ReturnValues="ALL_NEW")
    except dynamodb.Conflict:
        return None
    return plain(answer["Attributes"])


def take_stock(lines: tuple[OrderLine, ...]) -> list[dict]:
    """Transaction items: take each line's quantity, only if that much is in stock."""
    return [_stock_update(line, "SET stock = stock - :q", "stock >= :q") for line in lines]


def give_back_stock(lines: tuple[OrderLine, ...]) -> list[dict]:
    return [_stock_update(line, "SET stock = stock + :q", "attribute_exists(sku)") for line in lines]


def _stock_update(line: OrderLine, update: str, condition: str) -> dict:
    return {"Update": {"TableName": _tables().products_table, "Key": item({"sku": line.sku}),
                       "UpdateExpression": update, "ConditionExpression": condition,
                       "ExpressionAttributeValues": values(q=line.quantity)}}


def next_sequence() -> int:
    """The next placement number. DynamoDB has no auto-increment: this is an atomic counter."""
    answer = clients.dynamodb().update_item(
        TableName=_tables().counters_table, Key=item({"counter": "orders"}),
        UpdateExpression="ADD last_value :one", ExpressionAttributeValues=values(one=1),
        ReturnValues="UPDATED_NEW")
    return int(answer["Attributes"]["last_value"]["N"])


def put_order(order: Order, payment_method: str, sequence: int) -> dict:
    """Transaction item: the order, its lines and its payment, as one new item."""
    lines = [{"sku": line.sku, "quantity": line.quantity, "unit_price_cents": line.unit_price_cents}
             for line in order.lines]
    record = {"id": order.id, "customer_email": order.customer_email, "status": order.status,
              "payment_method": payment_method, "payment_status": order.payment_status,
              "rejection_reason": order.rejection_reason, "created_at": order.created_at,
              "lines": lines, "sequence_number": sequence} | _trace()
    return {"Put": {"TableName": _tables().orders_table, "Item": item(record),
                    "ConditionExpression": "attribute_not_exists(id)"}}


def mark_cancelled(order: Order) -> dict:
    """Transaction item: the order's new state, only if it is still confirmed."""
    trace = _trace()
    return {"Update": {
        "TableName": _tables().orders_table, "Key": item({"id": order.id}),
        "UpdateExpression": "SET #status = :status, payment_status = :payment"
                            + (", trace_context = :trace_context" if trace else ""),
        "ConditionExpression": "#status = :confirmed",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": values(status=order.status, payment=order.payment_status,
                                            confirmed=CONFIRMED, **trace)}}


def _trace() -> dict:
    """The request's trace, kept on the order: its stream record takes it to the publisher."""
    carrier = tracing.carrier()
    return {"trace_context": carrier} if carrier else {}


def get_order(order_id: str) -> Order | None:
    found = clients.dynamodb().get_item(TableName=_tables().orders_table,
                                        Key=item({"id": order_id}), ConsistentRead=True)
    return _order(plain(found["Item"])) if "Item" in found else None


def orders_for(customer_email: str) -> list[Order]:
    """Newest first: the index is sorted by placement sequence, read backwards."""
    pages = clients.dynamodb().get_paginator("query").paginate(
        TableName=_tables().orders_table, IndexName=ORDERS_BY_CUSTOMER,
        KeyConditionExpression="customer_email = :email",
        ExpressionAttributeValues=values(email=customer_email), ScanIndexForward=False)
    return [_order(plain(order)) for page in pages for order in page["Items"]]


def _order(record: dict) -> Order:
    return Order(id=record["id"], customer_email=record["customer_email"],
                 lines=tuple(OrderLine(**line) for line in record["lines"]),
                 created_at=record["created_at"], status=record["status"],
                 payment_status=record["payment_status"],
                 rejection_reason=record["rejection_reason"])

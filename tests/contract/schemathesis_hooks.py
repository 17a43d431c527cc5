"""What schemathesis is taught of the contract that JSON Schema cannot say (fuzz.py loads it):
an order names each sku at most once (`x-unique-by: sku` on its `items`). A generated order that
names one twice is valid by the schema but 400 by the contract, so its repeats are dropped; every
other rule the fuzzer reads from the schema itself."""

import schemathesis


@schemathesis.hook.apply_to(operation_id="placeOrder")
def map_case(context, case):
    """Every generated order, in every phase (a body-only hook misses the coverage phase's)."""
    if isinstance(case.body, dict) and isinstance(case.body.get("items"), list):
        case.body = case.body | {"items": _first_of_each_sku(case.body["items"])}
    return case


def _first_of_each_sku(items: list) -> list:
    seen, kept = set(), []
    for item in items:
        sku = item.get("sku") if isinstance(item, dict) else None
        if isinstance(sku, str):
            if sku in seen:
                continue
            seen.add(sku)
        kept.append(item)
    return kept

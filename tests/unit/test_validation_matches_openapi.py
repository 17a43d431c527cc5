"""shared/validation.py and the patterns of shared/openapi.yaml say the same thing: every string
rule of the code is checked against the contract's pattern, read as ECMA-262 (as OpenAPI means it),
on the characters where Python's and ECMA-262's ideas of white space and digits part."""

import sys

import pytest

from shared import validation
from shared.errors import ValidationFailed

from .test_openapi import DOC, schemas

# Every character either side calls white space, those next to them, and a few ordinary ones.
TRICKY = sorted({chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
                | {"\ufeff", "\u180e", "\u200b", "\x00", "\x1b", "\x7f", "\u0660", "A", "-", "_"})
SCHEMAS = DOC["components"]["schemas"]


def spec_accepts(schema: dict, value: str) -> bool:
    return schemas.ContractValidator(schema).is_valid(value)


def code_accepts(parse, body: dict) -> bool:
    try:
        parse(body)
    except ValidationFailed:
        return False
    return True


def order(**changes) -> dict:
    return {"customer_email": "ada@example.com", "payment_method": "pm_card",
            "items": [{"sku": "MUG-1", "quantity": 1}]} | changes


def product(**changes) -> dict:
    return {"sku": "MUG-1", "name": "Mug", "price_cents": 1} | changes


@pytest.mark.parametrize("char", TRICKY, ids=lambda c: f"U+{ord(c):04X}")
def test_email(char):
    for email in (f"a{char}b@example.com", f"ab@ex{char}ample.com"):
        assert code_accepts(validation.order_request, order(customer_email=email)) \
            is spec_accepts(SCHEMAS["Email"], email), email


@pytest.mark.parametrize("char", TRICKY, ids=lambda c: f"U+{ord(c):04X}")
def test_product_name(char):
    schema = SCHEMAS["NewProduct"]["properties"]["name"]
    for name in (char, f"{char}Mug", f"Mug{char}", f"M{char}g"):
        assert code_accepts(validation.new_product, product(name=name)) \
            is spec_accepts(schema, name), repr(name)


@pytest.mark.parametrize("char", TRICKY, ids=lambda c: f"U+{ord(c):04X}")
def test_stored_names_are_trimmed_as_the_spec_says(char):
    name = f"{char}Mug{char}"
    if code_accepts(validation.new_product, product(name=name)):
        stored = validation.new_product(product(name=name)).name
        assert spec_accepts(SCHEMAS["Product"]["properties"]["name"], stored), repr(stored)


@pytest.mark.parametrize("char", TRICKY, ids=lambda c: f"U+{ord(c):04X}")
def test_sku_and_payment_method(char):
    sku_schema = SCHEMAS["Sku"]
    method_schema = SCHEMAS["OrderRequest"]["properties"]["payment_method"]
    for sku in (f"A{char}1", f"{char}A1"):
        assert code_accepts(validation.new_product, product(sku=sku)) is spec_accepts(sku_schema, sku)
    method = f"pm_{char}"
    assert code_accepts(validation.order_request, order(payment_method=method)) \
        is spec_accepts(method_schema, method)


@pytest.mark.parametrize("char", [chr(c) for c in range(0x100)], ids=lambda c: f"U+{ord(c):04X}")
def test_idempotency_key(char):
    schema = DOC["components"]["parameters"]["IdempotencyKey"]["schema"]
    key = f"key{char}"
    try:
        validation.idempotency_key(key)
        accepted = True
    except ValidationFailed:
        accepted = False
    assert accepted is spec_accepts(schema, key)

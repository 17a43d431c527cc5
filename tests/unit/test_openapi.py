"""The contract document, shared/openapi.yaml: valid OpenAPI 3.1, complete, and as strict as the contract."""

import copy
import importlib.util
from pathlib import Path

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate as validate_spec

# tests/ is not a package, so the contract suite's module is loaded from its file.
_spec = importlib.util.spec_from_file_location(
    "contract_schemas", Path(__file__).resolve().parents[1] / "contract" / "schemas.py")
schemas = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(schemas)

DOC = schemas.document()
ADMIN = "admin"
# (method, path, admin?, documented statuses), in the order the document lists them.
OPERATIONS = [
    ("get", "/", False, {200, 500}),
    ("get", "/openapi.yaml", False, {200, 500}),
    ("get", "/health", False, {200, 500}),
    ("get", "/products", False, {200, 500}),
    ("post", "/products", True, {201, 400, 401, 409, 413, 415, 500}),
    ("get", "/products/{sku}", False, {200, 404, 500}),
    ("post", "/products/{sku}/restock", True, {200, 400, 401, 404, 413, 415, 500}),
    ("post", "/orders", False, {201, 400, 402, 409, 413, 415, 422, 500}),
    ("get", "/orders", True, {200, 400, 401, 500}),
    ("get", "/orders/{id}", False, {200, 404, 500}),
    ("post", "/orders/{id}/cancel", False, {200, 400, 404, 409, 413, 415, 500}),
    ("get", "/notifications", True, {200, 400, 401, 500}),
]
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

PRODUCT = {"sku": "MUG-001", "name": "Coffee mug", "price_cents": 1250, "stock": 40}
ITEM = {"sku": "MUG-001", "quantity": 2, "unit_price_cents": 1250, "line_total_cents": 2500}
ORDER = {"id": "3f2b8c1e-9a4d-4f6b-8e0c-2a7d5b1f9e3c", "status": "confirmed",
         "customer_email": "ada@example.com", "items": [ITEM], "total_cents": 2500,
         "payment_status": "captured", "rejection_reason": None,
         "created_at": "2025-01-31T09:15:02.123Z"}
NOTIFICATION = {"order_id": ORDER["id"], "kind": "order_confirmed",
                "recipient": "ada@example.com", "created_at": "2025-01-31T09:15:02Z"}
PROBLEM = {"type": "https://shop-architectures.example/problems/out_of_stock",
           "title": "Out of stock", "status": 409, "detail": "Not enough stock for: MUG-001.",
           "code": "out_of_stock", "order_id": ORDER["id"], "skus": ["MUG-001"]}
ORDER_REQUEST = {"customer_email": "ada@example.com", "payment_method": "pm_card_visa",
                 "items": [{"sku": "MUG-001", "quantity": 2}], "note": "ignored"}


def changed(value: dict, **members) -> dict:
    """A copy of `value` with some members replaced; `...` removes a member."""
    value = copy.deepcopy(value) | members
    return {k: v for k, v in value.items() if v is not ...}


def resolve(node: dict) -> dict:
    while "$ref" in node:
        node = schemas._resolve(node["$ref"])
    return node


def responses(method: str, path: str) -> dict[str, dict]:
    return {status: resolve(r) for status, r in DOC["paths"][path][method]["responses"].items()}


def all_responses():
    for method, path, _, _ in OPERATIONS:
        for status, response in responses(method, path).items():
            yield method, path, int(status), response
    for name, response in DOC["components"]["responses"].items():
        yield "any", name, None, response


# -- (a) the document ---------------------------------------------------------
def test_document_is_valid_openapi_3_1():
    assert DOC["openapi"] == "3.1.0"
    validate_spec(DOC, cls=OpenAPIV31SpecValidator)


def test_every_ref_resolves():
    def refs(node):
        if isinstance(node, dict):
            yield from ([node["$ref"]] if "$ref" in node else [])
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    found = set(refs(DOC))
    assert len(found) > 20
    for ref in found:  # the spec validator does not check every kind of $ref
        assert ref.startswith("#/") and isinstance(schemas._resolve(ref), dict), ref


def test_servers_are_the_four_variants():
    assert [s["url"] for s in DOC["servers"]] == [
        f"http://127.0.0.1:{port}" for port in (8000, 8100, 8200, 8300)]


# -- (b) operations and responses ---------------------------------------------
def test_every_operation_is_listed_in_order():
    listed = [(method, path) for path, item in DOC["paths"].items()
              for method in item if method in METHODS]
    assert listed == [(method, path) for method, path, _, _ in OPERATIONS]


@pytest.mark.parametrize("method,path,admin,statuses", OPERATIONS)
def test_operation_documents_its_statuses(method, path, admin, statuses):
    assert {int(s) for s in DOC["paths"][path][method]["responses"]} == statuses


@pytest.mark.parametrize("method,path,admin,statuses", OPERATIONS)
def test_only_admin_operations_need_the_token(method, path, admin, statuses):
    operation = DOC["paths"][path][method]
    assert operation["security"] == ([{"adminToken": []}] if admin else [])
    if admin:
        assert "WWW-Authenticate" in responses(method, path)["401"]["headers"]


@pytest.mark.parametrize("method,path,admin,statuses", OPERATIONS)
def test_operation_takes_a_request_id(method, path, admin, statuses):
    params = [resolve(p)["name"] for p in DOC["paths"][path][method].get("parameters", [])]
    assert "X-Request-Id" in params
    assert ("Idempotency-Key" in params) is ((method, path) == ("post", "/orders"))


def test_every_response_carries_a_request_id():
    missing = [(m, p, s) for m, p, s, r in all_responses() if "X-Request-Id" not in r.get("headers", {})]
    assert missing == []


def test_created_responses_carry_a_location():
    created = [(m, p) for m, p, s, r in all_responses() if s == 201 and "Location" in r["headers"]]
    assert created == [("post", "/products"), ("post", "/orders")]


def test_method_not_allowed_carries_allow():
    assert "Allow" in DOC["components"]["responses"]["MethodNotAllowed"]["headers"]


def test_errors_are_problem_json_with_an_example_per_code():
    for method, path, status, response in all_responses():
        if status is not None and status < 400:
            continue
        media = response["content"]
        assert list(media) == ["application/problem+json"], (method, path, status)
        assert media["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
        examples = [resolve(e)["value"] for e in media["application/problem+json"]["examples"].values()]
        assert examples, (method, path, status)
        for example in examples:
            schemas.validate(example, "Problem")
            assert f"`{example['code']}`" in response["description"], (method, path, example["code"])
            assert status is None or example["status"] == status, (method, path, example["code"])


def test_success_responses_are_json_but_the_document_itself():
    for method, path, status, response in all_responses():
        if status is not None and status < 400:
            expected = "application/yaml" if path == "/openapi.yaml" else "application/json"
            assert list(response["content"]) == [expected], (method, path, status)


# -- (c) the schemas ----------------------------------------------------------
def test_every_schema_example_is_valid():
    examples = [(name, ex) for name, schema in DOC["components"]["schemas"].items()
                for ex in schema.get("examples", [])]
    assert len(examples) >= 10
    for name, example in examples:
        schemas.validate(example, name)


VALID = [
    ("Product", PRODUCT),
    ("Product", changed(PRODUCT, stock=0, name="x" * 200)),
    ("ProductList", {"items": [PRODUCT]}),
    ("ProductList", {"items": []}),
    ("NewProduct", {"sku": "A-1", "name": "  padded  ", "price_cents": 1}),
    ("NewProduct", {"sku": "AB", "name": " " + "x" * 200 + " ", "price_cents": 10_000_000,
                    "stock": 1_000_000, "extra": True}),
    ("NewProduct", {"sku": "MUG-001", "name": "Mug", "price_cents": 2.0}),
    ("Restock", {"quantity": 1_000_000}),
    ("OrderRequest", ORDER_REQUEST),
    ("Order", ORDER),
    ("Order", changed(ORDER, status="rejected", payment_status=None, rejection_reason="out_of_stock")),
    ("Order", changed(ORDER, status="rejected", payment_status="declined",
                      rejection_reason="payment_declined")),
    ("Order", changed(ORDER, status="cancelled", payment_status="refunded")),
    ("OrderList", {"items": [ORDER]}),
    ("Notification", NOTIFICATION),
    ("NotificationList", {"items": [NOTIFICATION, changed(NOTIFICATION, kind="order_cancelled")]}),
    ("Health", {"status": "ok", "variant": "serverless"}),
    ("Problem", PROBLEM),
    ("Problem", {"type": "about:blank", "title": "Validation error", "status": 400, "detail": "bad",
                 "code": "validation_error", "errors": [{"field": "items[0].quantity", "message": "x"}]}),
]

INVALID = [
    ("Product", changed(PRODUCT, price_cents=0)),
    ("Product", changed(PRODUCT, stock=-1)),
    ("Product", changed(PRODUCT, name=" Coffee mug")),
    ("Product", changed(PRODUCT, name="Coffee mug\n")),
    ("Product", changed(PRODUCT, sku="mug-001")),
    ("Product", changed(PRODUCT, extra=1)),
    ("ProductList", [PRODUCT]),
    ("NewProduct", {"sku": "MUG-001", "name": "   ", "price_cents": 100}),
    ("NewProduct", {"sku": "MUG-001", "name": "x" * 201, "price_cents": 100}),
    ("NewProduct", {"sku": "MUG-001", "name": "Mug", "price_cents": 10_000_001}),
    ("NewProduct", {"sku": "MUG-001", "name": "Mug", "price_cents": 100, "stock": None}),
    ("NewProduct", {"sku": "-MUG", "name": "Mug", "price_cents": 100}),
    ("NewProduct", {"sku": "M", "name": "Mug", "price_cents": 100}),
    ("NewProduct", {"sku": "MUG-001", "name": "Mug"}),
    ("Restock", {"quantity": 2.5}),
    ("Restock", {"quantity": True}),
    ("Restock", {"quantity": "2"}),
    ("Restock", {"quantity": 0}),
    ("OrderRequest", changed(ORDER_REQUEST, items=[])),
    ("OrderRequest", changed(ORDER_REQUEST, items=[{"sku": "MUG-001", "quantity": 1}] * 51)),
    ("OrderRequest", changed(ORDER_REQUEST, items=[{"sku": "MUG-001", "quantity": 101}])),
    ("OrderRequest", changed(ORDER_REQUEST, customer_email="ada@example")),
    ("OrderRequest", changed(ORDER_REQUEST, customer_email="a" * 243 + "@example.com")),
    ("OrderRequest", changed(ORDER_REQUEST, payment_method="card_visa")),
    ("OrderRequest", changed(ORDER_REQUEST, payment_method=...)),
    ("Order", changed(ORDER, status="shipped")),
    ("Order", changed(ORDER, payment_status="declined")),
    ("Order", changed(ORDER, status="rejected", payment_status="captured", rejection_reason="out_of_stock")),
    ("Order", changed(ORDER, status="cancelled", payment_status="refunded", rejection_reason="out_of_stock")),
    ("Order", changed(ORDER, id="too-short")),
    ("Order", changed(ORDER, created_at="2025-01-31T09:15:02+00:00")),
    ("Order", changed(ORDER, rejection_reason=...)),
    ("Order", changed(ORDER, items=[])),
    ("Notification", changed(NOTIFICATION, kind="order_rejected")),
    ("Health", {"status": "ok", "variant": "lambda"}),
    ("Problem", changed(PROBLEM, code=...)),
    ("Problem", changed(PROBLEM, code="teapot")),
    ("Problem", changed(PROBLEM, status="409")),
    ("Problem", changed(PROBLEM, order_id=...)),
    ("Problem", changed(PROBLEM, skus=...)),
    ("Problem", {"type": "about:blank", "title": "Validation error", "status": 400,
                 "detail": "bad", "code": "validation_error"}),
]


@pytest.mark.parametrize("schema_name,value", VALID)
def test_schema_accepts(schema_name, value):
    schemas.validate(value, schema_name)


@pytest.mark.parametrize("schema_name,value", INVALID)
def test_schema_rejects(schema_name, value):
    with pytest.raises(AssertionError):
        schemas.validate(value, schema_name)


def test_failure_message_names_the_schema_and_the_place():
    with pytest.raises(AssertionError) as failure:
        schemas.validate({"items": [changed(PRODUCT, price_cents=0)]}, "ProductList")
    assert "ProductList" in str(failure.value) and "$.items[0].price_cents" in str(failure.value)


def test_unknown_schema_name_is_an_error():
    with pytest.raises(KeyError):
        schemas.validate({}, "Basket")


@pytest.mark.parametrize("key,valid", [
    ("8e0f3b52-5c1d-4a43-9d35-0c4b2a6e7f19", True), ("~ !", True), ("k" * 255, True),
    ("", False), ("k" * 256, False), ("caf\u00e9", False), ("tab\there", False),
])
def test_idempotency_key_pattern(key, valid):
    schema = DOC["components"]["parameters"]["IdempotencyKey"]["schema"]
    assert schemas.ContractValidator(schema).is_valid(key) is valid


@pytest.mark.parametrize("method,path,status,name", [
    ("POST", "/orders", 201, "Order"),
    ("GET", "/products", 200, "ProductList"),
    ("GET", "/products/{sku}", 404, "Problem"),
    ("POST", "/orders/{id}/cancel", 409, "Problem"),
    ("GET", "/health", 200, "Health"),
])
def test_response_schema(method, path, status, name):
    assert schemas.response_schema(method, path, status) == name


def test_problem_codes_are_exactly_the_ones_shared_problems_can_send():
    from shared.problems import PROBLEMS

    documented = DOC["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]
    assert sorted(documented) == sorted(code for _, code, _ in PROBLEMS.values())

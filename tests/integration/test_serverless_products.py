"""The products function under moto: catalog, stock, and the rules on both."""

from serverless.handlers import products
from tests.integration.serverless_support import call, http_event


def create(sku, price=100, stock=None, name="A product"):
    body = {"sku": sku, "name": name, "price_cents": price} | ({} if stock is None else {"stock": stock})
    return call(products, http_event("POST /products", body=body, admin=True))


def test_create_then_read(aws):
    answer = create("MUG-1", 1250, 4, name="  Blue mug ")
    assert answer.status == 201 and answer.headers["Location"] == "/products/MUG-1"
    expected = {"sku": "MUG-1", "name": "Blue mug", "price_cents": 1250, "stock": 4}
    assert answer.body == expected
    assert call(products, http_event("GET /products/{sku}", sku="MUG-1")).body == expected


def test_stock_defaults_to_zero_and_a_duplicate_is_409(aws):
    assert create("PEN-1").body["stock"] == 0
    answer = create("PEN-1", 999)
    assert (answer.status, answer.body["code"]) == (409, "duplicate_sku")
    assert call(products, http_event("GET /products/{sku}", sku="PEN-1")).body["price_cents"] == 100


def test_the_list_is_in_code_point_order(aws):
    for sku in ("B-2", "A1", "A-9", "AA"):
        create(sku)
    items = call(products, http_event("GET /products")).body["items"]
    assert [p["sku"] for p in items] == ["A-9", "A1", "AA", "B-2"]


def test_unknown_products_are_404_even_with_impossible_skus(aws):
    for sku in ("NOPE-1", "lower-case", "X" * 3000):
        answer = call(products, http_event("GET /products/{sku}", sku=sku))
        assert (answer.status, answer.body["code"]) == (404, "product_not_found")


def test_restock_adds_and_an_unknown_product_is_404(aws):
    create("CUP-1", stock=2)
    answer = call(products, http_event("POST /products/{sku}/restock", sku="CUP-1",
                                       body={"quantity": 3}, admin=True))
    assert (answer.status, answer.body["stock"]) == (200, 5)
    missing = call(products, http_event("POST /products/{sku}/restock", sku="CUP-2",
                                        body={"quantity": 3}, admin=True))
    assert (missing.status, missing.body["code"]) == (404, "product_not_found")
    assert call(products, http_event("GET /products/{sku}", sku="CUP-2")).status == 404


def test_invalid_products_change_nothing(aws):
    answer = create("BAD-1", price=2.5)
    assert answer.body["errors"] == [{"field": "price_cents", "message": "must be an integer"}]
    assert call(products, http_event("GET /products")).body["items"] == []

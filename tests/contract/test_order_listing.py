"""Listing a customer's orders (admin): newest first, every outcome, e-mails compared exactly."""

from .client import DECLINED_METHODS, assert_problem, assert_status, error_fields, unique_email


def test_orders_are_listed_newest_first(shop, make_product):
    sku = make_product(stock=3)["sku"]
    email = unique_email()
    ids = [
        assert_status(shop.place_order([(sku, 1)], email=email), 201)["id"],
        assert_problem(shop.place_order([(sku, 9)], email=email), 409, "out_of_stock")["order_id"],
        assert_problem(shop.place_order([(sku, 1)], email=email, payment_method=DECLINED_METHODS[0]),
                       402, "payment_declined")["order_id"],
        assert_status(shop.place_order([(sku, 2)], email=email), 201)["id"],
    ]
    listed = shop.orders_of(email)
    assert [order["id"] for order in listed] == ids[::-1]
    assert listed == [shop.order(order_id) for order_id in ids[::-1]]


def test_listing_shows_current_state(shop, make_product):
    sku = make_product(stock=3)["sku"]
    email = unique_email()
    order_id = assert_status(shop.place_order([(sku, 1)], email=email), 201)["id"]
    assert_status(shop.cancel(order_id), 200)
    assert [o["status"] for o in shop.orders_of(email)] == ["cancelled"]


def test_emails_are_compared_exactly(shop, make_product):
    sku = make_product(stock=5)["sku"]
    lower = unique_email()
    upper = lower.upper()
    order_id = assert_status(shop.place_order([(sku, 1)], email=lower), 201)["id"]
    assert [o["id"] for o in shop.orders_of(lower)] == [order_id]
    assert shop.orders_of(upper) == []
    assert shop.orders_of(lower[1:]) == []  # no prefix or substring matching either


def test_unknown_customer_has_no_orders(shop):
    assert shop.orders_of(unique_email()) == []


def test_customer_email_is_required(shop):
    for params in ({}, {"email": "a@b.cd"}):
        assert "customer_email" in error_fields(shop.get("/orders", params=params, admin=True))

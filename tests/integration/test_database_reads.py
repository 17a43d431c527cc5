"""Reads do not queue behind writes: products and orders are read while another transaction
holds the database's write lock (on PostgreSQL, the row's lock), and they see what was
committed before it."""

from sqlalchemy import update

from monolith.db import products

ORDER = {"customer_email": "ada@example.com", "payment_method": "pm_card_visa",
         "items": [{"sku": "MUG-1", "quantity": 2}]}


def test_reads_are_answered_while_a_write_is_under_way(app, client, admin, product):
    order_id = client.post("/orders", json=ORDER).get_json()["id"]
    engine = app.extensions["db"]
    with engine.begin() as writer:  # holds SQLite's one write lock, or the row, until the end
        writer.execute(update(products).where(products.c.sku == "MUG-1").values(stock=99))
        # Before reads stopped taking the write lock, each of these waited the busy timeout
        # (30 s) behind the open transaction and failed with "database is locked".
        assert client.get("/products/MUG-1").get_json()["stock"] == 3
        assert client.get("/products").status_code == 200
        assert client.get(f"/orders/{order_id}").get_json()["status"] == "confirmed"
        assert len(client.get("/orders?customer_email=ada@example.com",
                              headers=admin).get_json()["items"]) == 1
    assert client.get("/products/MUG-1").get_json()["stock"] == 99


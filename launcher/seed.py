"""`shop seed URL`: a small demo catalog. Running it twice changes nothing."""

from typing import Any

import requests

CATALOG: list[dict[str, Any]] = [
    {"sku": "MUG-BLUE", "name": "Blue enamel mug", "price_cents": 1250, "stock": 40},
    {"sku": "MUG-RED", "name": "Red enamel mug", "price_cents": 1250, "stock": 25},
    {"sku": "TEE-LOGO-M", "name": "Logo T-shirt, size M", "price_cents": 2200, "stock": 30},
    {"sku": "TOTE-CANVAS", "name": "Canvas tote bag", "price_cents": 1800, "stock": 15},
    {"sku": "STICKER-SET", "name": "Sticker set (5 pieces)", "price_cents": 400, "stock": 200},
    {"sku": "POSTER-A2", "name": "Architecture poster, A2", "price_cents": 1500, "stock": 0},
]


def seed(base_url: str, token: str) -> list[str]:
    """Create the catalog's products that are missing; returns the SKUs created."""
    created: list[str] = []
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        for product in CATALOG:
            response = session.post(f"{base_url}/products", json=product, timeout=10)
            if response.status_code == 201:
                created.append(product["sku"])
            elif response.json().get("code") != "duplicate_sku":
                response.raise_for_status()
    return created

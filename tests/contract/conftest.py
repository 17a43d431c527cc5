"""Fixtures: admin token -> registry of launched variants -> target -> client, per (variant, backend)."""

import os
import secrets

import pytest

from .client import ShopClient, assert_product, assert_status, unique_sku
from .launch import Registry

EXTERNAL_URL = os.environ.get("SHOP_CONTRACT_URL")
POSTGRES_URL = os.environ.get("SHOP_TEST_DATABASE_URL")


def _targets() -> list[tuple[str, str]]:
    """(variant, backend) pairs to test; just ("external", "url") against a given URL."""
    if EXTERNAL_URL:
        return [("external", "url")]
    from launcher.variants import VARIANTS  # only to learn which variants exist

    backends = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])
    # A variant without SQL (serverless: DynamoDB under moto) runs once, under the default target.
    return [(name, backend) for name, variant in VARIANTS.items() for backend in backends
            if backend == "sqlite" or variant.sql]


TARGETS = _targets()


@pytest.fixture(scope="session")
def admin_token() -> str:
    if EXTERNAL_URL:
        token = os.environ.get("SHOP_ADMIN_TOKEN")
        if not token:
            pytest.exit("SHOP_CONTRACT_URL is set but SHOP_ADMIN_TOKEN is not: the suite needs "
                        "the target's admin token", returncode=4)
        return token
    return secrets.token_urlsafe(24)


@pytest.fixture(scope="session")
def registry(admin_token, tmp_path_factory):
    reg = Registry(admin_token, tmp_path_factory.mktemp, None if EXTERNAL_URL else POSTGRES_URL)
    yield reg
    reg.stop_all()


@pytest.fixture(scope="session", params=TARGETS, ids=[f"{v}-{b}" for v, b in TARGETS])
def target(request) -> tuple[str, str]:
    return request.param


@pytest.fixture
def shop(target, registry, admin_token):
    """A client for one running (variant, backend), launched on first use."""
    variant, backend = target
    if EXTERNAL_URL:
        client = ShopClient(EXTERNAL_URL, admin_token)
    else:
        client = ShopClient(registry.base_url(variant, backend), admin_token, variant)
    yield client
    client.close()


@pytest.fixture
def launched(shop, target, registry):
    """The launched variant behind `shop` (its log, its processes), or None for an external URL."""
    return None if EXTERNAL_URL else registry.running[target]


@pytest.fixture
def make_product(shop):
    """Factory: a new product with a unique SKU and the given price and stock."""
    def make(price_cents: int = 100, stock: int = 10, name: str = "Contract test product") -> dict:
        product = assert_status(shop.create_product(unique_sku(), price_cents, stock, name), 201)
        return assert_product(product)
    return make

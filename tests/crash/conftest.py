"""Fixtures of the crash tier, each built on the one before, per (variant, backend):
settings -> crash_shop (launched) -> catalog (seeded) -> crash_run (load, kills, retries)
-> facts (settled, then read through HTTP and from the variant's own stores)."""

import json
import os
import random
import secrets
import threading
import time
from dataclasses import dataclass

import pytest
import requests

from launcher.experiments import checks, invariants, retries, stores
from launcher.experiments.journal import CLIENTS, Client, Journal
from launcher.variants import VARIANTS
from tests.contract.launch import PostgresDatabases
from tests.crash import crashing
from tests.crash.launch import Shop, launch_env
from tests.crash.settings import Settings

POSTGRES_URL = os.environ.get("SHOP_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])
TARGETS = [(name, backend) for name, variant in VARIANTS.items() for backend in BACKENDS
           if backend == "sqlite" or variant.sql]
PRODUCTS = 5


@dataclass
class Run:
    journal: Journal
    outages: list[crashing.Outage]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.from_env()


@pytest.fixture(scope="session")
def crash_postgres():
    databases = PostgresDatabases(POSTGRES_URL)
    yield databases
    stores.dispose()
    databases.drop_all()


@pytest.fixture(scope="session", params=TARGETS, ids=[f"{v}-{b}" for v, b in TARGETS])
def crash_shop(request, settings, tmp_path_factory):
    variant, backend = request.param
    database_url = request.getfixturevalue("crash_postgres").create() if backend == "postgres" else None
    data_dir = tmp_path_factory.mktemp(f"crash-{variant}-{backend}")
    shop = Shop(variant, data_dir, launch_env(data_dir, secrets.token_urlsafe(24), database_url,
                                              settings.short_timeouts))
    try:
        shop.start()
        yield shop
    finally:
        shop.stop()
        stores.dispose()


@pytest.fixture(scope="session")
def catalog(crash_shop, settings) -> dict[str, int]:
    """sku -> initial stock of a few new products."""
    rng, initial = random.Random(settings.seed), {}
    for number in range(PRODUCTS):
        sku, stock = f"CRASH-{settings.seed}-{number}", rng.randint(20, 40)
        body = {"sku": sku, "name": f"Crash mug {number}", "price_cents": rng.randint(100, 900),
                "stock": stock}
        response = requests.post(f"{crash_shop.url}/products", json=body, timeout=10,
                                 headers={"Authorization": f"Bearer {crash_shop.token}"})
        assert response.status_code == 201, response.text
        initial[sku] = stock
    return initial


@pytest.fixture(scope="session")
def crash_run(crash_shop, catalog, settings) -> Run:
    """The load, a kill -9 of each kind of process in turn during it, then the retries."""
    journal, stop = Journal(), threading.Event()
    clients = [Client(n, settings.seed, crash_shop, list(catalog), journal, stop) for n in range(CLIENTS)]
    for client in clients:
        client.start()
    try:
        outages = crashing.kill_each(crash_shop, settings.kinds_of(crash_shop.variant),
                                     random.Random(settings.seed))
        time.sleep(1)
    finally:
        stop.set()
        for client in clients:
            client.join()
    journal.calls += retries.retry(crash_shop, journal, settings.retry_after, settings.retry_deadline)
    _report(settings, crash_shop, journal, outages)
    return Run(journal, outages)


@pytest.fixture(scope="session")
def facts(crash_run, crash_shop, catalog, settings) -> invariants.Facts:
    """Settled, then read through HTTP and from the variant's own stores."""
    shop = crash_shop

    def read() -> stores.Snapshot:
        return stores.read(shop.variant, shop.data_dir, shop.database_url, shop.port,
                           shop.env["SHOP_AWS_SECRET_ACCESS_KEY"])
    store = checks.settled(read, settings.settle_deadline)
    return checks.facts(crash_shop.url, crash_shop.token, catalog, crash_run.journal.calls, store)


def _report(settings: Settings, shop, journal: Journal, outages: list[crashing.Outage]) -> None:
    if not settings.report:
        return
    with open(settings.report, "a") as out:
        for outage in outages:
            out.write(json.dumps({
                "variant": shop.variant, "backend": "postgres" if shop.database_url else "sqlite",
                "kind": outage.kind, "restarted": outage.restarted, "failed": len(outage.failed(journal)),
                "seconds_to_recover": round(outage.back_at - outage.killed_at, 2),
                "calls": len(journal.calls)}) + "\n")

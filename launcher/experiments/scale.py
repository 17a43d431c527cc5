"""scale (M4, S3): one more worker for the part that serves product reads (gunicorn's SIGTTIN),
per variant: reads a second before and after, and the memory the worker added. The monolith's
worker carries all of its code; a microservice's only the catalog's."""

import signal
import threading
import time

import requests

from launcher.experiments import memory, results
from launcher.experiments.stand import Stand

NAME, CLAIMS = "scale", ["M4", "S3"]
DEFAULT_VARIANTS = ["monolith", "services", "microservices", "serverless"]
PART = {"monolith": "monolith", "services": "services-storefront", "microservices": "catalog",
        "serverless": "serverless"}
COLUMNS = ["variant", "part scaled", "reads/s before", "reads/s after", "MiB added", "MiB in all after"]
CLIENTS = 8


def run(variants: list[str], quick: bool) -> dict:
    seconds, rows = (1.0 if quick else 8.0), []
    for variant in variants:
        with Stand(variant) as shop:
            part = shop.pid(PART[variant])
            before, mib = _reads_per_second(shop, seconds), _mib(shop)
            part_before = memory.memory(part)["processes"]
            shop.supervisor.send_signal(PART[variant], signal.SIGTTIN)
            _wait_for_workers(part, part_before + 1)
            after, mib_after = _reads_per_second(shop, seconds), _mib(shop)
        rows.append([variant, PART[variant], before, after, mib_after - mib, mib_after])
    return results.result(NAME, CLAIMS, COLUMNS, rows, findings=[
        f"{r[0]}: +1 worker of {r[1]}: {r[2]:.0f} -> {r[3]:.0f} reads/s for {r[4]:.0f} MiB more"
        for r in rows])


def _reads_per_second(shop: Stand, seconds: float) -> float:
    done, until = [0] * CLIENTS, time.monotonic() + seconds

    def client(n: int) -> None:
        with requests.Session() as http:
            while time.monotonic() < until:
                done[n] += http.get(f"{shop.url}/products/{shop.skus[0]}", timeout=5).ok

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def _mib(shop: Stand) -> float:
    pids = [s.pid for s in shop.supervisor.statuses()]
    return sum(memory.memory(pid)["pss_mib"] + memory.own_pss_mib(pid) for pid in pids)


def _wait_for_workers(pid: int, count: int) -> None:
    deadline = time.monotonic() + 15
    while memory.memory(pid)["processes"] < count and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # the new worker imports the app before it takes requests

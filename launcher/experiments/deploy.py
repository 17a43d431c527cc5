"""deploy (D2, M5): replace one part under load and count what the clients noticed: gunicorn's
graceful reload (SIGHUP) and a stop-and-start, of the whole monolith and of one microservice."""

import signal
import time

from launcher.experiments import results, traffic
from launcher.experiments.stand import Stand

NAME, CLAIMS = "deploy", ["D2", "M5"]
DEFAULT_VARIANTS = ["monolith", "microservices"]
PART = {"monolith": "monolith", "services": "services-storefront", "microservices": "catalog"}
COLUMNS = ["variant", "part replaced", "how", "requests", "failed", "p50 ms before", "p50 ms during",
           "failed answers said"]


def run(variants: list[str], quick: bool) -> dict:
    settle = 1.0 if quick else 4.0
    rows = []
    for variant in variants:
        with Stand(variant) as shop, traffic.Traffic(shop) as load:
            time.sleep(settle)
            for how in ("graceful reload (SIGHUP)", "stop and start"):
                rows.append([variant, PART[variant], how, *_replace(shop, load, PART[variant], how, settle)])
    findings = [f"{r[0]}: {r[2]} of {r[1]}: {r[4]} of {r[3]} requests failed" for r in rows]
    return results.result(NAME, CLAIMS, COLUMNS, rows, findings=findings)


def _replace(shop: Stand, load: traffic.Traffic, name: str, how: str, settle: float) -> list:
    start = time.monotonic()
    if how.startswith("graceful"):
        shop.supervisor.send_signal(name, signal.SIGHUP)
        time.sleep(settle)
    else:
        shop.supervisor.stop_process(name)
        shop.supervisor.start(shop.processes[name])
        shop.wait_healthy(name)
    time.sleep(settle)
    before, during = load.between(start - settle, start), load.between(start, time.monotonic())
    said = ", ".join(f"{k} x{v}" for k, v in sorted(traffic.failures(during).items())) or "none failed"
    return [len(during), sum(not a.ok for a in during), _p50(before), _p50(during), said]


def _p50(answers: list[traffic.Answer]) -> float | None:
    return results.percentile([(a.ended - a.started) * 1000 for a in answers if a.ok], 50)

"""fault-isolation (D3): per variant, each process in turn killed (kill -9) and kept down for a
while under a steady mixed load: the share of good answers per endpoint during the outage and
after the restart, what the failed answers said, and how long the process took to be back."""

import signal
import time

from launcher.experiments import results, traffic
from launcher.experiments.stand import Stand

NAME, CLAIMS = "fault-isolation", ["D3"]
DEFAULT_VARIANTS = ["monolith", "microservices", "serverless"]
COLUMNS = ["variant", "process killed", *[f"{e} % ok" for e in traffic.ENDPOINTS],
           "% ok after restart", "back in s", "failed answers said"]


def run(variants: list[str], quick: bool) -> dict:
    down, after = (1.5, 1.0) if quick else (10.0, 2.0)
    rows = []
    for variant in variants:
        with Stand(variant) as shop, traffic.Traffic(shop) as load:
            time.sleep(after)
            for name in list(shop.processes):
                rows.append([variant, name, *_outage(shop, load, name, down, after)])
    findings = [f"{r[0]}: killing {r[1]} left {_worst(r)}" for r in rows]
    return results.result(NAME, CLAIMS, COLUMNS, rows, findings=findings,
                          method=f"4 clients, each one request every {traffic.PACE * 1000:.0f} ms, "
                                 f"cycling {', '.join(traffic.ENDPOINTS)}; each process killed with "
                                 f"SIGKILL and kept down {down:.0f} s, then started again")


def _outage(shop: Stand, load: traffic.Traffic, name: str, down: float, after: float) -> list:
    shop.supervisor.send_signal(name, signal.SIGKILL, group=True)
    shop.supervisor.stop_process(name)  # kept down: not restarted until started again
    killed = time.monotonic()
    time.sleep(down)
    restarted = time.monotonic()
    shop.supervisor.start(shop.processes[name])
    back = shop.wait_healthy(name)
    time.sleep(after)
    during = load.between(killed, restarted)
    shares = [traffic.share_ok([a for a in during if a.endpoint == e]) for e in traffic.ENDPOINTS]
    later = load.between(restarted + back, time.monotonic())
    said = ", ".join(f"{k} x{v}" for k, v in sorted(traffic.failures(during).items())) or "none failed"
    return [*shares, traffic.share_ok(later), back, said]


def _worst(row: list) -> str:
    shares = dict(zip(traffic.ENDPOINTS, row[2:6], strict=True))
    down = [e for e, s in shares.items() if s is not None and s < 50]
    return f"{', '.join(down)} mostly failing" if down else "every endpoint mostly answering"

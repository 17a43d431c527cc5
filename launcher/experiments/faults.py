"""fault-isolation (D3): per variant, each process in turn killed (kill -9) and kept down for a
while under a steady mixed load: the share of good answers per endpoint during the outage and
after the restart, what the failed answers said, how long the process took to be back, and the
crash invariants (nothing lost, doubled or stranded) checked on what was ordered around it."""

import contextlib
import signal
import threading
import time

from launcher.experiments import checks, results, retries, stores, traffic
from launcher.experiments.journal import Client, Journal
from launcher.experiments.stand import STOCK, Stand
from launcher.variants import VARIANTS

NAME, CLAIMS = "fault-isolation", ["D3"]
DEFAULT_VARIANTS = ["monolith", "microservices", "serverless"]
COLUMNS = ["variant", "process killed", *[f"ok% {e}" for e in traffic.ENDPOINTS], "ok% after restart",
           "healthy after s", "failed answers said", "crash invariants"]
# The crash tier's short recovery timeouts, so that an order the kill interrupted is decided
# within the run. SETTLE bounds the wait for delivery: shorter than the serverless queue's 60 s
# visibility timeout, after which a message the killed runner had taken comes back (the crash
# tier waits for it; this experiment says it is late).
SHORT_TIMEOUTS = {"IDEMPOTENCY_CLAIM_TIMEOUT": "5", "ORDERS_RECOVERY_TIMEOUT": "3"}
CUSTOMERS, SETTLE, RETRY_DEADLINE = 2, 15.0, 20.0
# The outages share 80 s, 10 s each at most: monolith and microservices get 10 s per process,
# all three variants (ten processes) 8 s, and the experiment stays within 3 minutes.
OUTAGES_BUDGET, LONGEST_OUTAGE = 80.0, 10.0
NOTES = [
    "Reading a row: 100 = that endpoint kept answering while the process was down (isolated from "
    "the failure); 0 = it failed throughout, because it needs the killed process directly or "
    "through another part.",
    "ok% ENDPOINT: % of that endpoint's requests answered 2xx while the process was down "
    "(- : none sent); ok% after restart: % of all requests answered 2xx once it was healthy again.",
    "healthy after s: from its restart until its health check answered (a process with none, "
    "such as the relay, counts as healthy at once).",
    "failed answers said: refused = connection refused; timeout = no answer within 3 s; "
    "503 service_unavailable = a Problem from the part still up; xN = how many.",
    "crash invariants: orders, cancels and restocks sent by two more clients during the outage, "
    "retried with their Idempotency-Key until they had an outcome; then checked: "
    + "; ".join(checks.CHECKS) + f". Notifications are awaited {SETTLE:.0f} s at most: a queue "
    "message the serverless runner had taken when it or its local AWS was killed comes back only "
    "after the queue's 60 s visibility timeout, so 'late' ones are counted, not waited for "
    "(tests/crash waits for them and proves none is lost).",
]


def run(variants: list[str], quick: bool) -> dict:
    count = sum(len(VARIANTS[variant].processes(1)) for variant in variants)
    down, after = (1.5, 1.0) if quick else (min(LONGEST_OUTAGE, OUTAGES_BUDGET / count), 1.0)
    rows, broken = [], []
    for variant in variants:
        with Stand(variant, env=SHORT_TIMEOUTS) as shop, traffic.Traffic(shop) as load:
            time.sleep(after)
            outages = [(name, *_outage(shop, load, name, down, after, seed))
                       for seed, name in enumerate(shop.processes)]
            for name, shares, calls, verdict, late in _checked(shop, outages):
                rows.append([variant, name, *shares, _said(verdict, late)])
                broken.append({"variant": variant, "process": name, "calls": calls, "broken": verdict,
                               "undelivered": late})
        stores.dispose()
    findings = [f"{r[0]}, {r[1]} down: {_worst(r)}; crash invariants: {r[-1]}" for r in rows]
    notes = [f"Each process was killed with kill -9 and kept down {down:.0f} s under load. " + NOTES[0],
             *NOTES[1:]]
    return results.result(NAME, CLAIMS, COLUMNS, rows, findings=findings, notes=notes, invariants=broken,
                          method=f"4 clients, each one request every {traffic.PACE * 1000:.0f} ms, "
                                 f"cycling {', '.join(traffic.ENDPOINTS)}; each process killed with "
                                 f"SIGKILL and kept down {down:.0f} s, then started again; "
                                 f"{CUSTOMERS} more clients ordering, cancelling and restocking")


def _outage(shop: Stand, load: traffic.Traffic, name: str, down: float, after: float, seed: int) -> tuple:
    journal, skus = Journal(), shop.seed()
    with _customers(shop, journal, skus, seed):
        shop.supervisor.send_signal(name, signal.SIGKILL, group=True)
        shop.supervisor.stop_process(name)  # kept down: not restarted until started again
        killed = time.monotonic()
        time.sleep(down)
        restarted = time.monotonic()
        shop.supervisor.start(shop.processes[name])
        back = shop.wait_healthy(name)
        time.sleep(after)
    journal.calls += retries.retry(shop, journal, 0, RETRY_DEADLINE)
    during = load.between(killed, restarted)
    shares = [_percent([a for a in during if a.endpoint == e]) for e in traffic.ENDPOINTS]
    later = load.between(restarted + back, time.monotonic())
    said = ", ".join(f"{k} x{v}" for k, v in sorted(traffic.failures(during).items())) or "none failed"
    return [*shares, _percent(later), round(back, 1), said], (journal, skus)


def _percent(answers: list[traffic.Answer]) -> int | None:
    share = traffic.share_ok(answers)
    return None if share is None else round(share)


@contextlib.contextmanager
def _customers(shop: Stand, journal: Journal, skus: list[str], seed: int):
    """The crash tier's clients, seeded per outage: their Idempotency-Keys never repeat."""
    stop = threading.Event()
    clients = [Client(n, seed, shop, skus, journal, stop) for n in range(CUSTOMERS)]
    for client in clients:
        client.start()
    try:
        yield
    finally:
        stop.set()
        for client in clients:
            client.join()


def _checked(shop: Stand, outages: list[tuple]):
    """Each outage's breaches, once the stores have settled (one wait for them all)."""
    keys = {c.key for _, _, (journal, _) in outages for c in journal.calls if c.key}
    def read() -> stores.Snapshot:
        return checks.only(stores.read(shop.variant, shop.data_dir, None, shop.port, shop.aws_secret), keys)
    store = checks.settled(read, SETTLE)
    for name, shares, (journal, skus) in outages:
        own = checks.only(store, {c.key for c in journal.calls if c.key})
        facts = checks.facts(shop.url, shop.token, dict.fromkeys(skus, STOCK), journal.calls, own)
        yield name, shares, len(journal.calls), checks.breaches(facts), len(checks.undelivered(own))


def _said(broken: dict[str, list[str]], late: int) -> str:
    if not broken:
        return f"all {len(checks.CHECKS)} held"
    if set(broken) == {"one notification per event"} and late:
        return f"{len(checks.CHECKS) - 1} of {len(checks.CHECKS)} held; {late} notifications late"
    return "broke: " + "; ".join(f"{name} (x{len(found)})" for name, found in broken.items())


def _worst(row: list) -> str:
    shares = dict(zip(traffic.ENDPOINTS, row[2:6], strict=True))
    failing = [e for e, s in shares.items() if s is not None and s < 50]
    kept = [e for e, s in shares.items() if s is not None and s >= 50]
    return f"failing {', '.join(failing) or 'nothing'}; still answering {', '.join(kept) or 'nothing'}"

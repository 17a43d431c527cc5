"""The benchmark's results as markdown: the machine, then one table for the requests and one
for start time and memory; with --preload, one for the two copies' latencies and one for the
preload and memory."""

import os
import platform

CEILING = "ceiling (bare Flask)"
CEILING_ENDPOINT = "GET /products/{sku}"
ORDER_ENDPOINT = "POST /orders"


def machine() -> str:
    """What the numbers were taken on: they mean little without it."""
    with open("/proc/meminfo") as meminfo:
        total_kib = int(meminfo.readline().split()[1])
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (f"{os.cpu_count()} cores, {total_kib / 1024 ** 2:.0f} GiB, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}; "
            f"load average (1, 5, 15 min) {load}")


def _row(cells) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def requests_table(results: dict[str, dict]) -> list[str]:
    """One row per variant, endpoint and client count. Where the ceiling was timed before a
    variant, its rows come first: the bare Flask app, and the variant's bare path for `POST
    /orders` where it has one. Every req/s of the variant is also shown as a share of the
    ceiling's at the same client count: its orders of the bare path's, the rest of the bare app's."""
    lines = [_row(["variant", "endpoint", "clients", "requests", "errors", "p50 ms", "p95 ms",
                   "p99 ms", "req/s", "of ceiling"]), _row(["---"] * 2 + ["---:"] * 8)]
    for variant, result in results.items():
        ceiling = result.get("ceiling")
        if ceiling:
            lines += _load_rows(CEILING, ceiling, ceiling, ceiling.get("path"))
        lines += _load_rows(variant, result["load"], ceiling)
    return lines


def _load_rows(label: str, report: dict, ceiling: dict | None, path: str | None = None) -> list[str]:
    lines = []
    for mode, clients in (("sequential", 1), ("concurrent", report["clients"])):
        for endpoint, s in report[mode].items():
            top = _ceiling_rps(ceiling, mode, endpoint)
            name = f"{label}: {path}" if path and endpoint == ORDER_ENDPOINT else label
            lines.append(_row([name, f"`{endpoint}`", clients, s["requests"], s["errors"],
                               f"{s['p50_ms']:.1f}", f"{s['p95_ms']:.1f}", f"{s['p99_ms']:.1f}",
                               f"{s['rps']:.0f}", f"{100 * s['rps'] / top:.0f} %" if top else "-"]))
    return lines


def _ceiling_rps(ceiling: dict | None, mode: str, endpoint: str) -> float | None:
    if not ceiling:
        return None
    timed = ceiling[mode]
    if endpoint == ORDER_ENDPOINT:  # against the variant's bare path, or nothing
        return timed[endpoint]["rps"] if endpoint in timed else None
    return timed[CEILING_ENDPOINT]["rps"]


def memory_table(results: dict[str, dict]) -> list[str]:
    lines = [_row(["variant", "launch → healthy", "processes", "RSS idle", "PSS idle",
                   "RSS after", "PSS after"]), _row(["---"] + ["---:"] * 6)]
    for variant, result in results.items():
        idle, after = result["idle"], result["after"]
        lines.append(_row([variant, f"{result['start_s']:.1f} s", idle["processes"],
                           f"{idle['rss_mib']:.0f} MiB", f"{idle['pss_mib']:.0f} MiB",
                           f"{after['rss_mib']:.0f} MiB", f"{after['pss_mib']:.0f} MiB"]))
    return lines


def markdown(results: dict[str, dict], machine_before: str, machine_after: str) -> str:
    return "\n".join([f"Machine: {machine_before}", "", f"After the run: {machine_after}", "",
                      *requests_table(results), "", *memory_table(results), ""])


def growth_table(results: dict[str, dict]) -> list[str]:
    lines = [_row(["variant", "endpoint", "orders stored", "p50 ms, small", "p50 ms, large",
                   "p50 ratio", "p95 ms, small", "p95 ms, large", "errors"]),
             _row(["---"] * 3 + ["---:"] * 6)]
    for variant, result in results.items():
        small, large = result["growth"]["before"], result["growth"]["after"]
        for endpoint, few in small["stats"].items():
            many = large["stats"][endpoint]
            lines.append(_row([variant, f"`{endpoint}`",
                               f"{small['stored']:,} / {large['stored']:,}",
                               f"{few['p50_ms']:.1f}", f"{many['p50_ms']:.1f}",
                               f"{many['p50_ms'] / few['p50_ms']:.2f}",
                               f"{few['p95_ms']:.1f}", f"{many['p95_ms']:.1f}",
                               few["errors"] + many["errors"]]))
    return lines


def preload_table(results: dict[str, dict]) -> list[str]:
    lines = [_row(["variant", "orders preloaded", "preload time", "orders/s", "RSS small",
                   "RSS large", "PSS small", "PSS large", "load when timed"]),
             _row(["---"] + ["---:"] * 8)]
    for variant, result in results.items():
        growth = result["growth"]
        small, large = growth["before"], growth["after"]
        capped = " (time cap reached)" if growth["capped"] else ""
        lines.append(_row([variant, f"{growth['placed']:,}{capped}",
                           f"{growth['preload_s']:.0f} s",
                           f"{growth['placed'] / max(growth['preload_s'], 1e-9):.0f}",
                           *(f"{copy['memory'][key]:.0f} MiB" for key in ("rss_mib", "pss_mib")
                             for copy in (small, large)),
                           f"{large['load']:.2f}"]))
    return lines


def growth_markdown(results: dict[str, dict], machine_before: str, machine_after: str) -> str:
    return "\n".join([f"Machine: {machine_before}", "", f"After the run: {machine_after}", "",
                      *growth_table(results), "", *preload_table(results), ""])

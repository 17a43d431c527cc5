"""The benchmark's results as markdown: the machine, then one table for the requests and one
for start time and memory."""

import os
import platform


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
    lines = [_row(["variant", "endpoint", "clients", "requests", "errors", "p50 ms", "p95 ms",
                   "p99 ms", "req/s"]), _row(["---"] * 2 + ["---:"] * 7)]
    for variant, result in results.items():
        report = result["load"]
        for mode, clients in (("sequential", 1), ("concurrent", report["clients"])):
            for endpoint, s in report[mode].items():
                lines.append(_row([variant, f"`{endpoint}`", clients, s["requests"], s["errors"],
                                   f"{s['p50_ms']:.1f}", f"{s['p95_ms']:.1f}",
                                   f"{s['p99_ms']:.1f}", f"{s['rps']:.0f}"]))
    return lines


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

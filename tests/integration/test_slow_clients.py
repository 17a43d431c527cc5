"""Slow clients cannot starve a server: on every port of every variant, public or internal, a
normal request answers within 1 s while 32 connections send their headers, or their body, one
byte every 0.5 s (tests/bench/trickle.py). Every port is tried, then every slow one reported."""

import pytest

from launcher.variants import VARIANTS
from tests.bench.slow_clients import label, ports, timings, wait_healthy
from tests.integration.running import launched

DEADLINE = 1.0  # seconds: what "answers" means here
TIMEOUT = 2.0  # seconds a timed request may take before it counts as unanswered


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_normal_request_answers_within_1_s_with_32_slow_clients_on_every_port(
        variant, monkeypatch, tmp_path):
    slow_ports = []
    with launched(variant, monkeypatch, {"SHOP_DATA_DIR": str(tmp_path), "DATABASE_URL": None}) as (
            _, public, _):
        for name, port in ports(variant, public):
            wait_healthy(port)
            for mode in ("headers", "body"):
                times = timings(port, port == public, mode, count=2, timeout=TIMEOUT)
                if any(t is None or t > DEADLINE for t in times):
                    shown = ["no answer" if t is None else f"{t:.2f} s" for t in times]
                    slow_ports.append(f"{label(name, port - public)}, slow {mode}: {shown}")
    assert not slow_ports, "\n".join(slow_ports)

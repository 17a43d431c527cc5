"""The crash tier's settings: seeded and bounded by default, each one changeable from the
environment for a run by hand (docs/crash-tests.md)."""

import os
from collections.abc import Mapping
from dataclasses import dataclass

from tests.crash import processes


@dataclass(frozen=True)
class Settings:
    """By hand, for instance a retry that comes after the default claim timeout:
    SHOP_CRASH_DEFAULT_TIMEOUTS=1 SHOP_CRASH_RETRY_AFTER=70 SHOP_CRASH_KINDS="orders worker"."""
    seed: int = 10
    retry_after: float = 0.0
    retry_deadline: float = 30.0
    short_timeouts: bool = True
    report: str | None = None  # a file for one JSON line per kill
    kinds: str = ""  # e.g. "orders worker,relay"; empty: all
    # Past the serverless queue's 60 s visibility timeout: a message the killed runner had
    # taken is delivered again only then (at least once, later).
    settle: float = 65.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "Settings":
        return cls(
            seed=int(environ.get("SHOP_CRASH_SEED", cls.seed)),
            retry_after=float(environ.get("SHOP_CRASH_RETRY_AFTER", cls.retry_after)),
            retry_deadline=float(environ.get("SHOP_CRASH_RETRY_DEADLINE", cls.retry_deadline)),
            short_timeouts=not environ.get("SHOP_CRASH_DEFAULT_TIMEOUTS"),
            report=environ.get("SHOP_CRASH_REPORT"),
            kinds=environ.get("SHOP_CRASH_KINDS", ""),
            settle=float(environ.get("SHOP_CRASH_SETTLE_DEADLINE", cls.settle)))

    def kinds_of(self, variant: str) -> list[str]:
        every = processes.expected_kinds(variant)
        return [kind for kind in every if kind in self.kinds.split(",")] if self.kinds else every

    @property
    def settle_deadline(self) -> float:  # the recovery timeout, then time for delivery
        return (3 if self.short_timeouts else 30) + self.settle

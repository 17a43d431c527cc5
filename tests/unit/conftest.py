"""Fixtures of the unit tier: `aws`, moto for the serverless handlers (tests/unit/serverless_support.py)."""

from tests.unit.serverless_support import aws  # noqa: F401 (a fixture, found here by pytest)

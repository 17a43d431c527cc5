"""An outside fuzzer against a running shop: schemathesis, reading the contract document and
the settings in schemathesis.toml beside this file. The contract suite runs it against every
variant it launches (test_fuzz.py); `shop fuzz URL [SCHEMATHESIS OPTIONS]` runs it against any
shop, with its output as it goes: `python -m tests.contract.fuzz URL`, SHOP_ADMIN_TOKEN set."""

import os
import subprocess
import sys
from pathlib import Path

from .schemas import OPENAPI_PATH

CONFIG = Path(__file__).with_name("schemathesis.toml")
HOOKS = Path(__file__).with_name("schemathesis_hooks.py")
SEED = 42  # the same run every time, so that a failure can be reproduced; --seed 7 for another


def command(base_url: str, *options: str) -> list[str]:
    """The schemathesis command line; later options win over the ones set here (--seed 7)."""
    return [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "--no-color",
            "run", str(OPENAPI_PATH), "--url", base_url.rstrip("/"), "--seed", str(SEED), *options]


def environment(admin_token: str) -> dict:
    # The config reads the token from the environment, so it never shows in `ps`.
    return os.environ | {"SHOP_ADMIN_TOKEN": admin_token, "SCHEMATHESIS_HOOKS": str(HOOKS)}


def run(base_url: str, admin_token: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """The finished run; its output ends with schemathesis's summary of what failed."""
    return subprocess.run(command(base_url), env=environment(admin_token), capture_output=True,
                          text=True, timeout=timeout, check=False)


def main(argv: list[str]) -> int:
    if not argv or not os.environ.get("SHOP_ADMIN_TOKEN"):
        sys.exit("usage: SHOP_ADMIN_TOKEN=... python -m tests.contract.fuzz URL [SCHEMATHESIS OPTIONS]")
    url, *options = argv
    return subprocess.call(command(url, *options), env=environment(os.environ["SHOP_ADMIN_TOKEN"]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

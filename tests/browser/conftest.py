"""Browser tests of the control room: one `shop up all` for the tier, seeded, and Debian's
Chromium driven by Playwright. Without Chromium they are skipped with the reason, except in CI
(the CI variable set), where a missing browser fails them."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.contract.launch import REPO_ROOT, free_base_port

CHROMIUM = os.environ.get("SHOP_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# Kept out of the checkout unless asked for: SHOP_SCREENSHOTS=docs/images refreshes the README's.
SCREENSHOTS = REPO_ROOT / os.environ.get("SHOP_SCREENSHOTS", ".data/screenshots")
VARIANT_NAMES = ["monolith", "services", "microservices", "serverless"]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (make install)"
    return None


@pytest.fixture(scope="session")
def browser():
    if reason := _missing():
        if os.environ.get("CI"):
            pytest.fail(f"CI runs the browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


class Shop:
    """`shop up all --seed` on free ports, its banner read for the control room's address."""

    def __init__(self, data_dir: Path):
        self.port = _free_block()
        self.control = f"http://127.0.0.1:{self.port + 350}"
        self.log = data_dir / "shop.log"
        env = os.environ | {"SHOP_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1",
                            "OTEL_BSP_SCHEDULE_DELAY": "200"}
        env.pop("DATABASE_URL", None)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "launcher", "up", "all", "--seed", "--port", str(self.port),
                 "--control-port", str(self.port + 350)], cwd=REPO_ROOT, env=env, stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self.page_url = self._wait_for_banner()
        self.token = self.page_url.rpartition("token=")[2]
        self.urls = {name: f"http://127.0.0.1:{self.port + 100 * i}" for i, name in enumerate(VARIANT_NAMES)}

    def _wait_for_banner(self, seconds: float = 180) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if found := re.search(r"control room\s+(\S+\?token=\S+)", self.log.read_text()):
                return found.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"shop up all did not come up:\n{self.log.read_text()[-3000:]}")

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"X-Control-Token": self.token} | kwargs.pop("headers", {})
        return requests.request(method, self.control + path, headers=headers, timeout=30, **kwargs)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def _free_block() -> int:
    """A base port whose four variants (100 apart, ten ports each) and control port are free."""
    from launcher.ports import HIGH, is_free
    for _ in range(100):
        port = free_base_port()
        if port + 360 < HIGH and all(is_free(port + 100 * i + j) for i in range(4) for j in range(11)) \
                and is_free(port + 350):
            return port
    raise RuntimeError("no free block of ports")


@pytest.fixture(scope="session")
def shop(tmp_path_factory, browser):
    running = Shop(tmp_path_factory.mktemp("control-room"))
    yield running
    running.stop()


@pytest.fixture
def page(browser, shop):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    opened = context.new_page()
    opened.goto(shop.page_url)
    yield opened
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"control-room-{name}.png"), full_page=False)

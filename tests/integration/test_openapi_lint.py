"""shared/openapi.yaml under two independent OpenAPI linters: redocly's `recommended` rules and
spectral's `spectral:oas` rules report nothing, warnings included.

Their false positives are kept, each with its reason, in .redocly.lint-ignore.yaml and .spectral.yaml.
The linters come from npm (package.json, package-lock.json), installed by `make install` with
`npm ci` wherever npm is; without npm these tests are skipped, except in CI, where they fail.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "shared" / "openapi.yaml"
# Neither linter needs the network: no usage reports, no update checks.
QUIET = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_UPDATE_NOTIFIER": "1"}


def linter(name: str) -> Path:
    path = ROOT / "node_modules" / ".bin" / name
    if path.exists():
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{path} is missing: CI runs the OpenAPI linters (`make install` runs `npm ci`)")
    if shutil.which("npm") is None:
        pytest.skip("Node.js and npm are not installed: the OpenAPI linters come from npm")
    pytest.fail(f"{path} is missing: run `make install`, which runs `npm ci`")


def run(name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([linter(name), *args], cwd=ROOT, env=os.environ | QUIET,
                          capture_output=True, text=True, timeout=120, check=False)


def redocly(spec: Path) -> list[str]:
    """Every finding of `redocly lint` (config: redocly.yaml), as 'rule at pointer: message'."""
    result = run("redocly", "lint", str(spec), "--format", "json", "--lint-config", "error")
    assert result.stdout.strip(), result.stderr
    return [f"{p['ruleId']} at {p['location'][0].get('pointer')}: {p['message']}"
            for p in json.loads(result.stdout)["problems"]]


def spectral(spec: Path) -> list[str]:
    """Every finding of `spectral lint` (ruleset: .spectral.yaml), as 'rule at path: message'."""
    result = run("spectral", "lint", str(spec), "--ruleset", ".spectral.yaml",
                 "--format", "json", "--quiet")
    assert result.returncode in (0, 1) and result.stdout.strip(), result.stderr  # 2: it crashed
    return [f"{p['code']} at {'.'.join(map(str, p['path']))}: {p['message']}"
            for p in json.loads(result.stdout)]


def test_redocly_recommended_finds_nothing():
    assert redocly(SPEC) == []


def test_spectral_oas_finds_nothing():
    assert spectral(SPEC) == []


@pytest.fixture
def careless_copy(tmp_path) -> Path:
    """The document with a public operation that says nothing of security, no description, and no contact."""
    document = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    health = document["paths"]["/health"]["get"]
    del health["security"], health["description"], document["info"]["contact"]
    copy = tmp_path / "openapi.yaml"
    copy.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return copy


def test_the_linters_do_report_what_their_rules_forbid(careless_copy):
    assert any(f.startswith("security-defined at #/paths/~1health/get") for f in redocly(careless_copy))
    found = spectral(careless_copy)
    assert any(f.startswith("operation-description at paths./health.get") for f in found)
    assert any(f.startswith("info-contact at info") for f in found)

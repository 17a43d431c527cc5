"""serverless/template.yaml as a production stack has it, checked offline by the tools a user
or CI would run: cfn-lint's informational rules too, checkov's CloudFormation checks, `sam
validate --lint` and `sam build`; and the admin token kept in SSM Parameter Store, where the
functions read it at run time, locally as on AWS."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from samtranslator.yaml_helper import yaml_parse

from serverless import clients, config
from serverless.handlers import products
from serverless.local import template as local_template
from tests.integration.serverless_support import TOKEN, call, cold_start, http_event

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "serverless" / "template.yaml"
TOOLS = ROOT / ".venv-tools"  # the Makefile's venvs for checkov and the SAM CLI
# Nothing from the user's AWS configuration, no telemetry, no region looked up.
OFFLINE = {"AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
           "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "SAM_CLI_TELEMETRY": "0"}
STATEFUL = {"AWS::DynamoDB::Table", "AWS::SQS::Queue"}


def tool(venv: str, name: str) -> Path:
    path = TOOLS / venv / "bin" / name
    assert path.exists(), f"{name} is installed by `make install` (in {TOOLS / venv})"
    return path


def run(command: list, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], capture_output=True, text=True,
                          cwd=cwd, timeout=300, env={k: v for k, v in os.environ.items()
                                                     if not k.startswith("AWS_")} | OFFLINE, check=False)


def test_cfn_lint_informational_rules_are_clean_too():
    result = run([Path(sys.executable).with_name("cfn-lint"), "--include-checks", "I", "--", TEMPLATE])
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_tables_and_queues_outlive_the_stack():
    resources = yaml_parse(TEMPLATE.read_text())["Resources"]
    for logical, resource in resources.items():
        if resource["Type"] in STATEFUL:
            policies = (resource["DeletionPolicy"], resource["UpdateReplacePolicy"])
            assert policies == ("Retain", "Retain"), logical


def test_checkov_finds_nothing_but_the_written_exceptions():
    result = run([tool("checkov", "checkov"), "--config-file", ROOT / "serverless" / ".checkov.yaml",
                  "-f", TEMPLATE, "-o", "json"])
    summary = json.loads(result.stdout)["summary"]
    assert (summary["failed"], summary["parsing_errors"]) == (0, 0), result.stdout
    assert summary["passed"] >= 25 and summary["resource_count"] > 10
    # CKV_AWS_116 skipped only on the four functions API Gateway calls, each with its reason.
    assert summary["skipped"] == 4 and result.returncode == 0


def test_sam_validate_lint():
    result = run([tool("sam", "sam"), "validate", "--lint", "--template-file", TEMPLATE])
    assert result.returncode == 0, result.stdout + result.stderr


def test_sam_build_packages_every_function(tmp_path):
    # In the source: without it, SAM first copies the whole repository, venvs and all.
    result = run([tool("sam", "sam"), "build", "--build-in-source", "--template-file", TEMPLATE,
                  "--build-dir", tmp_path / "build", "--cache-dir", tmp_path / "cache"])
    assert result.returncode == 0, result.stdout + result.stderr
    built = yaml_parse((tmp_path / "build" / "template.yaml").read_text())["Resources"]
    functions = [name for name, r in built.items() if r["Type"] == "AWS::Serverless::Function"]
    assert len(functions) == 6
    for name in functions:
        assert sorted(p.name for p in (tmp_path / "build" / name).iterdir()) == ["serverless", "shared"]


def test_the_runner_keeps_the_token_where_the_template_says(aws):
    name = local_template.admin_token_parameter(local_template.load())
    assert name == config.ADMIN_TOKEN_PARAMETER == config.admin_token_parameter({})
    found = clients.ssm().get_parameter(Name=name, WithDecryption=True)["Parameter"]
    assert (found["Type"], found["Value"]) == ("SecureString", TOKEN)


PRODUCT = {"sku": "SSM-1", "name": "Kept", "price_cents": 100, "stock": 1}


def test_a_function_reads_the_token_from_the_parameter_not_its_environment(aws, monkeypatch):
    monkeypatch.delenv("SHOP_ADMIN_TOKEN")
    cold_start()
    admin = {"Authorization": f"Bearer {TOKEN}"}
    assert call(products, http_event("POST /products", body=PRODUCT, headers=admin)).status == 201
    clients.ssm().put_parameter(Name=config.ADMIN_TOKEN_PARAMETER, Value="a-rotated-admin-token",
                                Type="SecureString", Overwrite=True)
    # A warm container keeps the token it read; a new one reads the new value.
    again = PRODUCT | {"sku": "SSM-2"}
    assert call(products, http_event("POST /products", body=again, headers=admin)).status == 201
    cold_start()
    assert call(products, http_event("POST /products", body=again | {"sku": "SSM-3"},
                                     headers=admin)).status == 401
    rotated = {"Authorization": "Bearer a-rotated-admin-token"}
    assert call(products, http_event("POST /products", body=again | {"sku": "SSM-3"},
                                     headers=rotated)).status == 201


@pytest.mark.parametrize("logical", ["ProductsTable", "EventsQueue"])
def test_settings_that_matter_only_on_aws_are_known_to_the_runner(logical):
    properties = local_template.load()["Resources"][logical]["Properties"]
    on_aws_only = local_template.TABLE_ON_AWS_ONLY | local_template.QUEUE_ON_AWS_ONLY
    assert set(properties) & on_aws_only  # encryption at rest (and backups), left out locally

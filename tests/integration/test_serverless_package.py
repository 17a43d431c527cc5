"""What `sam build` deploys is enough, and no more: each function's package (the root Makefile's
build-<Function> target) holds serverless/ and shared/, and its handler imports nothing that the
Lambda Python runtime lacks (boto3 it has; Flask, SQLAlchemy, moto and the rest it has not)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = (ROOT / "serverless" / "template.yaml").read_text()
FUNCTIONS = dict(re.findall(r"^  (\w+Function):\n(?:    .*\n)*?      Handler: (\S+)$", TEMPLATE, re.M))
NOT_ON_LAMBDA = ["flask", "werkzeug", "sqlalchemy", "moto", "requests", "gunicorn", "psycopg",
                 "yaml", "jsonschema", "flask_cors"]
IMPORT_HANDLER = """
import importlib, sys
class NotOnLambda:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {blocked!r}:
            raise ImportError(name + " is not in the Lambda runtime")
sys.meta_path.insert(0, NotOnLambda())
module, _, function = {handler!r}.rpartition(".")
assert callable(getattr(importlib.import_module(module), function))
assert sys.modules["serverless"].__file__.startswith({package!r}), "imported from the package"
"""


def test_the_template_names_every_function():
    assert set(FUNCTIONS) == {"ApiFunction", "ProductsFunction", "OrdersFunction",
                              "NotificationsFunction", "PublisherFunction", "WorkerFunction"}


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_each_package_holds_what_its_handler_imports_and_no_more(function, tmp_path):
    package = tmp_path / function
    subprocess.run(["make", "--no-print-directory", "-s", f"build-{function}",
                    f"ARTIFACTS_DIR={package}"], cwd=ROOT, check=True)
    assert sorted(p.name for p in package.iterdir()) == ["serverless", "shared"]
    assert not (package / "serverless" / "local").exists()
    script = IMPORT_HANDLER.format(blocked=NOT_ON_LAMBDA, handler=FUNCTIONS[function],
                                   package=str(package))
    result = subprocess.run([sys.executable, "-c", script], cwd=package, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr

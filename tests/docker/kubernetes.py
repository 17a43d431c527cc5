"""deploy/kubernetes/ read as data: each variant's manifests as `kubectl apply -k` gets them.

A kustomization here only lists resources (files, or a directory with a kustomization of its
own) and generates one Secret, so following `resources:` is all it takes to see what kustomize
would apply; no kustomize binary comes from PyPI.
"""

import functools
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
VARIANTS = ["monolith", "services", "microservices"]  # serverless deploys with SAM instead
CHECKOV = ROOT / ".venv-tools" / "checkov" / "bin" / "checkov"  # the Makefile's own venv for it


def kustomization(folder: Path) -> dict:
    return yaml.safe_load((folder / "kustomization.yaml").read_text())


def manifest_files(folder: Path) -> list[Path]:
    """Every file `kubectl apply -k folder` reads, bases first."""
    found = []
    for entry in kustomization(folder)["resources"]:
        path = (folder / entry).resolve()
        found += manifest_files(path) if path.is_dir() else [path]
    return found


def documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


@functools.cache
def resources(variant: str) -> dict[tuple[str, str], dict]:
    """(kind, name) -> the resource, for everything the variant's kustomization applies."""
    return {(doc["kind"], doc["metadata"]["name"]): doc
            for path in manifest_files(KUBERNETES / variant) for doc in documents(path)}


def of_kind(variant: str, kind: str) -> dict[str, dict]:
    return {name: doc for (k, name), doc in resources(variant).items() if k == kind}


def container(deployment: dict) -> dict:
    [only] = deployment["spec"]["template"]["spec"]["containers"]
    return only


def environment(deployment: dict, secret_value: str) -> dict[str, str]:
    """The container's environment as the kubelet makes it: each secret given `secret_value`,
    and $(NAME) replaced by the value of a variable listed before it."""
    env = {}
    for variable in container(deployment)["env"]:
        value = secret_value if "valueFrom" in variable else variable["value"]
        env[variable["name"]] = re.sub(r"\$\((\w+)\)", lambda m: env[m.group(1)], value)
    return env

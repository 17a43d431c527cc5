"""deploy/kubernetes/, checked without a cluster: the API's schemas (kubernetes-validate,
strict, one Kubernetes version), checkov's Kubernetes checks, and that the manifests describe
the processes launcher/variants.py starts and docker-compose.yml runs."""

import json
import subprocess
import tomllib

import kubernetes_validate
import pytest
import yaml

from launcher.variants import VARIANTS as LAUNCHED
from microservices import config as microservices_config
from monolith import config as monolith_config
from services import config as services_config
from tests.docker.compose import POSTGRES_OVERRIDE, in_profile
from tests.docker.kubernetes import (
    CHECKOV,
    KUBERNETES,
    ROOT,
    VARIANTS,
    container,
    documents,
    environment,
    kustomization,
    manifest_files,
    of_kind,
    resources,
)

KUBERNETES_VERSION = "1.33.0"
MANIFESTS = sorted(p for p in KUBERNETES.rglob("*.yaml")
                   if p.name != "kustomization.yaml" and not p.name.startswith("."))
SECRET = "a-value-from-the-secret"
DEPLOYMENT = "Deployment"


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: str(p.relative_to(KUBERNETES)))
def test_every_manifest_follows_the_kubernetes_schema(path):
    for document in documents(path):
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_the_schema_check_rejects_a_misspelt_field():
    deployment = of_kind("monolith", DEPLOYMENT)["monolith"]
    misspelt = json.loads(json.dumps(deployment))
    container(misspelt)["securityContext"]["readOnlyRootFilesytem"] = True
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(misspelt, KUBERNETES_VERSION, strict=True)


def test_checkov_finds_nothing_but_the_written_exceptions():
    assert CHECKOV.exists(), "checkov is installed by `make install` (its own venv)"
    result = subprocess.run(
        [str(CHECKOV), "--config-file", str(KUBERNETES / ".checkov.yaml"), "-d", str(KUBERNETES),
         "-o", "json"], capture_output=True, text=True, timeout=300, cwd=ROOT, check=False)
    report = json.loads(result.stdout)
    summary = report["summary"]
    assert (summary["failed"], summary["parsing_errors"]) == (0, 0), result.stdout
    every = [doc for path in MANIFESTS for doc in documents(path)]
    containers = [doc for doc in every if doc["kind"] in (DEPLOYMENT, "StatefulSet")]
    # checkov counts each container as a resource of its own too: nothing was left unread.
    assert summary["resource_count"] == len(every) + len(containers)
    assert summary["passed"] > 20 * len(every)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("folder", ["base", *VARIANTS])
def test_each_kustomization_lists_every_manifest_beside_it(folder):
    listed = {p for p in manifest_files(KUBERNETES / folder) if p.parent == KUBERNETES / folder}
    assert listed == {p for p in MANIFESTS if p.parent == KUBERNETES / folder}
    assert kustomization(KUBERNETES / folder)["namespace"] == "shop"


def compose_environment(name: str) -> dict[str, str]:
    """A compose service's environment with the PostgreSQL override merged in."""
    override = yaml.safe_load(POSTGRES_OVERRIDE.read_text())["services"].get(name, {})
    return in_profile_service(name)["environment"] | override.get("environment", {})


def in_profile_service(name: str) -> dict:
    return next(s for variant in VARIANTS for n, s in in_profile(variant).items() if n == name)


def compose_port(service: dict) -> int | None:
    command = service["command"]
    return int(command[command.index("--bind") + 1].rpartition(":")[2]) if "--bind" in command else None


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_same_processes_commands_and_ports_as_compose(variant):
    deployments, composed = of_kind(variant, DEPLOYMENT), in_profile(variant)
    assert set(deployments) == set(composed)
    for name, deployment in deployments.items():
        found = container(deployment)
        assert found["command"] == composed[name]["command"], name
        ports = [p["containerPort"] for p in found.get("ports", [])]
        assert ports == ([compose_port(composed[name])] if compose_port(composed[name]) else []), name


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_same_processes_ports_and_health_paths_as_the_launcher(variant):
    launched = LAUNCHED[variant]
    processes = launched.processes(launched.port)
    deployments = of_kind(variant, DEPLOYMENT)
    named = {p.name if p.name.startswith(variant) else f"{variant}-{p.name}": p for p in processes}
    assert set(named) == set(deployments)
    for name, process in named.items():
        found = container(deployments[name])
        ports = [p["containerPort"] for p in found.get("ports", [])]
        assert ports == ([process.port] if process.port else []), name
        if process.health_url:
            path = process.health_url.split(str(process.port), 1)[1]
            for probe in ("readinessProbe", "livenessProbe"):
                assert found[probe]["httpGet"] == {"path": path, "port": "http"}, name


def test_the_public_entry_is_the_only_service_beyond_the_namespace():
    for variant in VARIANTS:
        launched = LAUNCHED[variant]
        public = {name: s for name, s in of_kind(variant, "Service").items()
                  if s["spec"].get("type") == "LoadBalancer"}
        [(name, service)] = public.items()
        assert [p["port"] for p in service["spec"]["ports"]] == [launched.port]
        assert in_profile(variant)[name]["ports"] == [f"127.0.0.1:{launched.port}:{launched.port}"]


# Only the gateway checks the admin token (microservices/config.py): the services behind it
# are not given it, though docker-compose.yml gives it to every container alike.
NOT_GIVEN = {"SHOP_DATA_DIR"}  # no SQLite file on a Kubernetes node
ADMIN_TOKEN_ONLY_AT = {"microservices": {"microservices-gateway"}}


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_same_environment_variables_as_compose(variant):
    for name, deployment in of_kind(variant, DEPLOYMENT).items():
        composed = {k: v for k, v in compose_environment(name).items()
                    if k not in NOT_GIVEN and not k.startswith("OTEL_")}
        if name not in ADMIN_TOKEN_ONLY_AT.get(variant, {name}):
            composed.pop("SHOP_ADMIN_TOKEN")
        given = {k: v for k, v in environment(deployment, SECRET).items()
                 if k != "POSTGRES_PASSWORD" and not k.startswith("OTEL_")}
        assert set(given) == set(composed), name
        for key, value in given.items():
            if key == "DATABASE_URL":  # the same database, on the cluster's PostgreSQL
                assert value.rpartition("/")[2] == composed[key].rpartition("/")[2], name
            elif value != SECRET:
                assert value == composed[key], (name, key)


def configured(variant: str, name: str, env: dict) -> dict:
    if variant == "monolith":
        return monolith_config.from_env(env)
    if variant == "services":
        return services_config.from_env(env)
    return microservices_config.from_env(name.removeprefix("microservices-").replace("relay", "orders"), env)


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_process_starts_with_the_environment_its_manifest_gives(variant):
    for name, deployment in of_kind(variant, DEPLOYMENT).items():
        env = environment(deployment, SECRET)
        settings = configured(variant, name, env)
        if "DATABASE_URL" in env:
            assert settings["DATABASE_URL"] == f"postgresql://postgres:{SECRET}@postgres:5432/" + \
                env["DATABASE_URL"].rpartition("/")[2]
        for key in [k for k in settings if k.endswith("_URL") and k != "DATABASE_URL" and k in env]:
            service = settings[key].split("//")[1].split(":")[0]
            assert service in of_kind(variant, "Service"), (name, key)


def test_every_secret_comes_from_the_one_secret_with_no_value_committed():
    example = (KUBERNETES / "base" / "secrets.env.example").read_text().splitlines()
    keys = {line.split("=")[0] for line in example if line and not line.startswith("#")}
    assert all(line.endswith("=") for line in example if line and not line.startswith("#"))
    [generated] = kustomization(KUBERNETES / "base")["secretGenerator"]
    assert (generated["name"], generated["envs"]) == ("shop-secrets", ["secrets.env"])
    assert "deploy/kubernetes/base/secrets.env" in (ROOT / ".gitignore").read_text().splitlines()
    used = set()
    for variant in VARIANTS:
        assert not of_kind(variant, "Secret")
        for workload in [*of_kind(variant, DEPLOYMENT).values(), *of_kind(variant, "StatefulSet").values()]:
            for variable in container(workload)["env"]:
                if "valueFrom" in variable:
                    ref = variable["valueFrom"]["secretKeyRef"]
                    assert ref["name"] == "shop-secrets" and ref["key"] == variable["name"]
                    used.add(ref["key"])
    assert used == keys


@pytest.mark.parametrize("variant", VARIANTS)
def test_network_policies_let_in_only_callers_of_the_same_variant(variant):
    policies, deployments = of_kind(variant, "NetworkPolicy"), of_kind(variant, DEPLOYMENT)
    assert policies["default-deny-ingress"]["spec"] == {"podSelector": {}, "policyTypes": ["Ingress"]}
    public = {n for n, s in of_kind(variant, "Service").items() if s["spec"].get("type") == "LoadBalancer"}
    for name in set(of_kind(variant, "Service")) - {"postgres"}:
        [rule] = policies[name]["spec"]["ingress"]
        if name in public:
            assert "from" not in rule
            continue
        callers = {peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"] for peer in rule["from"]}
        assert callers and callers <= set(deployments) - {name}, name
    # PostgreSQL: exactly the pods given a DATABASE_URL.
    clients = {name for name, d in deployments.items()
               if d["spec"]["template"]["metadata"]["labels"].get("shop-architectures/database") == "client"}
    assert clients == {name for name, d in deployments.items() if "DATABASE_URL" in environment(d, SECRET)}


HOT = {"monolith": {"monolith"}, "services": {"services-storefront"},
       "microservices": {"microservices-gateway", "microservices-catalog"}}


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_entry_and_the_product_reads_scale_horizontally(variant):
    autoscaled = of_kind(variant, "HorizontalPodAutoscaler")
    assert set(autoscaled) == HOT[variant]
    for name, scaler in autoscaled.items():
        assert scaler["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": DEPLOYMENT, "name": name}
        assert "replicas" not in of_kind(variant, DEPLOYMENT)[name]["spec"]  # the autoscaler's to set
    relay = of_kind(variant, DEPLOYMENT).get("microservices-relay")
    if relay:
        assert relay["spec"]["replicas"] == 1 and relay["spec"]["strategy"] == {"type": "Recreate"}


def test_the_image_is_the_projects_at_its_version():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    for variant in VARIANTS:
        [image] = kustomization(KUBERNETES / variant)["images"]
        assert image == {"name": "shop-architectures", "newTag": version}
        for deployment in of_kind(variant, DEPLOYMENT).values():
            assert container(deployment)["image"] == f"shop-architectures:{version}"


def test_postgres_creates_the_databases_compose_creates():
    init = resources("monolith")[("ConfigMap", "postgres-init")]["data"]["init.sql"]
    assert init == (ROOT / "docker" / "postgres-init.sql").read_text()

"""serverless/template.yaml as `sam deploy` hands it to CloudFormation, and deployed into moto:
the `stack` fixture of conftest.py."""

import io
import json
import zipfile
from pathlib import Path

import boto3
from moto.dynamodb.models import dynamodb_backends
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

TEMPLATE = Path(__file__).resolve().parents[2] / "serverless" / "template.yaml"
TOKEN = "a-deploy-time-admin-token"
PARAMETER = "/shop/deployed/admin-token"  # not the local runner's, so the stack's own is read
# The managed policies SAM attaches; a fixed list, so translating needs no AWS account.
MANAGED_POLICIES = {"AWSLambdaBasicExecutionRole":
                    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}


class Policies:
    def load(self):
        return MANAGED_POLICIES


def translated() -> dict:
    """The template as CloudFormation receives it from `sam deploy`, code in a (moto) bucket."""
    template = yaml_parse(TEMPLATE.read_text())
    template["Globals"]["Function"]["CodeUri"] = "s3://shop-code/shop.zip"
    return transform(template, {"AdminTokenParameter": PARAMETER}, Policies())


def deployed() -> tuple[dict, dict, dict]:
    """The translated template deployed through moto's CloudFormation, next to the runner's own
    resources: (template, logical id -> physical id, function name -> configuration)."""
    template = translated()
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("serverless/__init__.py", "")
    boto3.client("s3").create_bucket(Bucket="shop-code")
    boto3.client("s3").put_object(Bucket="shop-code", Key="shop.zip", Body=code.getvalue())
    # What the operator does before `sam deploy` (template.yaml's AdminTokenParameter).
    boto3.client("ssm").put_parameter(Name=PARAMETER, Value=TOKEN, Type="SecureString")
    cloudformation = boto3.client("cloudformation")
    cloudformation.create_stack(StackName="shop", TemplateBody=json.dumps(template),
                                Parameters=[{"ParameterKey": "AdminTokenParameter",
                                             "ParameterValue": PARAMETER}],
                                Capabilities=["CAPABILITY_IAM"])
    assert cloudformation.describe_stacks(StackName="shop")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    resources = {r["LogicalResourceId"]: r.get("PhysicalResourceId") for r in
                 cloudformation.list_stack_resources(StackName="shop")["StackResourceSummaries"]}
    functions = {logical: boto3.client("lambda").get_function_configuration(FunctionName=resources[logical])
                 for logical, resource in template["Resources"].items()
                 if resource["Type"] == "AWS::Lambda::Function"}
    # moto would run the publisher (in Docker) on every write to the orders table; the tests
    # play its event source themselves, as the runner does.
    for backend in dynamodb_backends[boto3.client("sts").get_caller_identity()["Account"]].values():
        for table in backend.tables.values():
            table.lambda_event_source_mappings.clear()
    return template, resources, functions

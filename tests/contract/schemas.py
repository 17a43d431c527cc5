"""Checks JSON answers against the schemas of the contract document, shared/openapi.yaml."""

import functools
from pathlib import Path

import regress
import yaml
from jsonschema import Draft202012Validator, ValidationError, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

OPENAPI_PATH = Path(__file__).resolve().parents[2] / "shared" / "openapi.yaml"
DOCUMENT_URI = "urn:shop:openapi"  # the name `$ref`s resolve against; "#/..." means this document


def _ecma_pattern(validator, pattern: str, instance, schema):
    """`pattern` as OpenAPI means it, an ECMA-262 regular expression: jsonschema's default, Python's
    `re`, reads `\\s` and `\\d` more widely (U+001C-U+001F and U+0085 are white space to it)."""
    if validator.is_type(instance, "string") and _regex(pattern).find(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.cache
def _regex(pattern: str) -> regress.Regex:
    return regress.Regex(pattern, "u")


ContractValidator = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


@functools.cache
def document() -> dict:
    """The parsed contract document, read once."""
    with OPENAPI_PATH.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@functools.cache
def _registry() -> Registry:
    resource = Resource.from_contents(document(), default_specification=DRAFT202012)
    return Registry().with_resource(DOCUMENT_URI, resource)


@functools.cache
def _validator(schema_name: str) -> Draft202012Validator:
    if schema_name not in document()["components"]["schemas"]:
        raise KeyError(f"shared/openapi.yaml has no schema {schema_name!r}")
    schema = {"$ref": f"{DOCUMENT_URI}#/components/schemas/{schema_name}"}
    return ContractValidator(schema, registry=_registry())


def validate(instance, schema_name: str) -> None:
    """Raises AssertionError, naming every broken rule, unless `instance` fits the schema."""
    errors = sorted(_validator(schema_name).iter_errors(instance),
                    key=lambda e: [str(part) for part in e.absolute_path])
    if errors:
        lines = [f"  at {_where(e.absolute_path)}: {_message(e)}" for e in errors]
        raise AssertionError(f"not a valid {schema_name}:\n" + "\n".join(lines)
                             + f"\n  value: {str(instance)[:600]}")


def response_schema(method: str, path_template: str, status: int | str) -> str | None:
    """The schema name documented for one response, e.g. ("POST", "/orders", 201) -> "Order"."""
    operation = document()["paths"][path_template][method.lower()]
    response = operation["responses"][str(status)]
    if "$ref" in response:
        response = _resolve(response["$ref"])
    for media in response.get("content", {}).values():
        ref = media.get("schema", {}).get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            return ref.rsplit("/", 1)[1]
    return None


def _resolve(ref: str) -> dict:
    node = document()
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _message(error) -> str:
    if error.validator in ("oneOf", "anyOf"):  # e.g. Order: name the allowed combinations
        titles = [option.get("title", "?") for option in error.validator_value]
        return "matches none of the allowed combinations: " + "; ".join(titles)
    return error.message if len(error.message) <= 300 else error.message[:300] + "..."


def _where(path) -> str:
    where = "$"
    for part in path:
        where += f"[{part}]" if isinstance(part, int) else f".{part}"
    return where

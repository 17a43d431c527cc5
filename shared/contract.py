"""What a variant says about itself beyond the shop: the index at `GET /`, and the contract
document, shared/openapi.yaml, which every variant serves at `GET /openapi.yaml`."""

import functools
from importlib import resources

OPENAPI_MEDIA_TYPE = "application/yaml"


@functools.cache
def openapi_document() -> bytes:
    """The document's bytes, as shipped in the package (read once, on first use)."""
    return resources.files("shared").joinpath("openapi.yaml").read_bytes()


def index(variant: str) -> dict:
    return {"variant": variant, "openapi": "/openapi.yaml", "health": "/health",
            "products": "/products"}

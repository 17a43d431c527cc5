"""The monolith's configuration, read from the environment here and nowhere else."""

import os
from collections.abc import Mapping

from shared import settings


def from_env(environ: Mapping[str, str] = os.environ) -> dict:
    return {
        "ADMIN_TOKEN": settings.admin_token(environ),
        "DATABASE_URL": settings.database_url(environ, "monolith"),
        "IDEMPOTENCY_CLAIM_TIMEOUT": settings.claim_timeout(environ),
    }

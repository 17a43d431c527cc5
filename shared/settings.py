"""Reading settings from the environment: the rules every variant's config.py applies."""

from collections.abc import Mapping


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the process must not start."""


def admin_token(environ: Mapping[str, str]) -> str:
    # There is deliberately no default: a shop that starts with a known token is open to anyone.
    token = environ.get("SHOP_ADMIN_TOKEN", "")
    if not token.strip():
        raise ConfigError(
            "SHOP_ADMIN_TOKEN is not set, so the admin endpoints would have no password. "
            "Refusing to start. `shop up` sets one for you; otherwise "
            "export SHOP_ADMIN_TOKEN=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')\"."
        )
    return token


def database_url(environ: Mapping[str, str], name: str) -> str:
    """`DATABASE_URL` when set, else the SQLite file `<SHOP_DATA_DIR>/<name>.db`."""
    if environ.get("DATABASE_URL"):
        return environ["DATABASE_URL"]
    return f"sqlite:///{environ.get('SHOP_DATA_DIR', '.data')}/{name}.db"


# How long an unfinished claim on an Idempotency-Key lasts before a retry may take it over: far
# longer than any request takes, so that only a request whose process died loses its claim.
CLAIM_TIMEOUT_SECONDS = 60.0


def claim_timeout(environ: Mapping[str, str]) -> float:
    return seconds(environ, "IDEMPOTENCY_CLAIM_TIMEOUT", CLAIM_TIMEOUT_SECONDS)


def seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    """A timeout in seconds, above 0 and at most 300: anything else refuses to start."""
    value = environ.get(name) or str(default)
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not 0 < number <= 300:
        raise ConfigError(f"{name} must be a number of seconds above 0 and at most 300, not {value!r}.")
    return number

"""Read settings from environment variables, refusing values that make no sense.

A misspelt boolean ("ture") silently becoming False is how a production site
ends up with DEBUG on, so every reader here fails loudly and names the
variable instead.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"true", "1", "yes", "on"}
FALSE_WORDS = {"false", "0", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value; use true/false, 1/0 or yes/no."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_time_zone(name: str, default: str) -> str:
    import zoneinfo

    value = env_str(name, default)
    if value not in zoneinfo.available_timezones():
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a time zone name such as 'Europe/Berlin' or 'UTC'."
        )
    return value


def secret_key(debug: bool, data_dir: Path) -> str:
    """SECRET_KEY from the environment; in development, one generated and kept on disk."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    if not debug:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()

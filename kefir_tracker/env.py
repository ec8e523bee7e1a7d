"""Read settings from environment variables, refusing values that make no sense.

A misspelt boolean ("ture") silently becoming False is how a production site
ends up with DEBUG on, so every reader here fails loudly and names the
variable instead.
"""

import contextlib
import os
import secrets
from contextlib import contextmanager
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


MIN_SECRET_KEY_LENGTH = 50


def secret_key(data_dir: Path) -> str:
    """SECRET_KEY from the environment, or one generated once and kept in ``data_dir``.

    The file is written whole or not at all (a temporary file renamed over it), readable
    by its owner only; one that is empty or too short (a disk that filled up while an
    older version wrote it) is made again.
    """
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    key_file = data_dir / "secret_key"
    key = _read_key(key_file)
    if key:
        return key
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with locked(data_dir):
            key = _read_key(key_file)  # another process may have made it meanwhile
            if not key:
                key = secrets.token_urlsafe(MIN_SECRET_KEY_LENGTH)
                write_atomically(key_file, key)
    except OSError as error:
        raise ImproperlyConfigured(
            f"Could not keep a secret key in {key_file}: {error.strerror or error}. "
            "Free some space or fix the folder's permissions, or set SECRET_KEY."
        ) from None
    return key


def _read_key(key_file: Path) -> str:
    try:
        key = key_file.read_text().strip()
    except FileNotFoundError:
        return ""
    return key if len(key) >= MIN_SECRET_KEY_LENGTH else ""


@contextmanager
def locked(folder: Path):
    """An exclusive lock on ``folder`` between processes (two gunicorn workers starting
    at once must not each make a key of their own)."""
    try:
        import fcntl
    except ImportError:  # Windows: no gunicorn there, so no workers starting together
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # the rename itself survives a power cut
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

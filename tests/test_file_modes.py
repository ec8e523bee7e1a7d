"""The database, its WAL, the backups and DATA_DIR are their owner's only.

They hold password hashes and session keys. The processes are started as a
shell would start them, with the usual umask 022 (which would make them
readable by everyone); the app narrows it.
"""

import os
import stat
import time
from contextlib import contextmanager

import pytest

from tests.commands import manage
from tests.servers import Phone, gunicorn, prepare, settings_for

pytestmark = pytest.mark.slow

USERNAME, PASSWORD = "household", "a-long-kitchen-password-2026"


@contextmanager
def shell_umask():
    """Child processes started meanwhile get umask 022, as from a login shell."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path) -> str:
    return stat.filemode(path.stat().st_mode)


def test_a_served_database_its_wal_and_a_backup_are_readable_by_their_owner_only(tmp_path):
    data = tmp_path / "data"
    env = settings_for(data / "kefir.sqlite3", "modes")
    with shell_umask():
        prepare(tmp_path, env)
        code = (
            "from kefir_tracker.accounts.models import User;"
            f"User.objects.create_user({USERNAME!r}, password={PASSWORD!r})"
        )
        assert manage(tmp_path, "shell", "--no-imports", "-c", code, **env).returncode == 0
        with gunicorn(tmp_path, env, 1) as (port, _):
            Phone(port, time.monotonic() + 60).sign_in(USERNAME, PASSWORD)  # writes: the WAL
            modes = {path.name: mode(path) for path in data.iterdir()}
            result = manage(tmp_path, "backup", **env)
            assert result.returncode == 0, result.stderr

    assert mode(data) == "drwx------"
    assert modes == {
        "kefir.sqlite3": "-rw-------",
        "kefir.sqlite3-wal": "-rw-------",
        "kefir.sqlite3-shm": "-rw-------",
    }
    backups = data / "backups"
    assert mode(backups) == "drwx------"
    assert [mode(path) for path in backups.iterdir()] == ["-rw-------"]


def test_a_database_made_readable_by_everyone_before_is_made_its_owners_only(tmp_path):
    database = tmp_path / "old.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}"}
    with shell_umask():
        assert manage(tmp_path, "migrate", "-v0", **env).returncode == 0
        database.chmod(0o644)  # as every database made before this release
        assert manage(tmp_path, "check", **env).returncode == 0
    assert mode(database) == "-rw-------"


def test_the_vapid_key_is_made_once_readable_by_its_owner_only(tmp_path):
    """The notifications' signing key: made when first needed, the same ever after."""
    code = "from kefir_tracker.push.keys import application_server_key as k; print(k())"
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}
    with shell_umask():
        first = manage(tmp_path, "shell", "--no-imports", "-c", code, **database)
        second = manage(tmp_path, "shell", "--no-imports", "-c", code, **database)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split()[-1] == second.stdout.split()[-1]
    assert len(first.stdout.split()[-1]) == 87  # 65 bytes of P-256 point, base64url
    assert mode(tmp_path / "data" / "vapid_private_key.pem") == "-rw-------"

"""Settings come from environment variables; nonsense stops start-up with a named message."""

import stat

import pytest

from tests.commands import manage


def shell(tmp_path, code, **env):
    return manage(tmp_path, "shell", "--no-imports", "-c", code, **env)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("true", "True"),
        ("1", "True"),
        ("yes", "True"),
        ("false", "False"),
        ("0", "False"),
        ("no", "False"),
        ("YES", "True"),
    ],
)
def test_debug_accepts_the_usual_yes_and_no_words(tmp_path, word, expected):
    result = shell(
        tmp_path,
        "from django.conf import settings; print(settings.DEBUG)",
        DEBUG=word,
        SECRET_KEY="x" * 50,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("SIGNUP_ENABLED", "perhaps"),
        ("TIME_ZONE", "Mars/Olympus"),
        ("PAGE_SIZE", "lots"),
        ("DATABASE_URL", "nosuchdb://nowhere"),
    ],
)
def test_a_nonsense_value_stops_start_up_naming_the_variable(tmp_path, variable, value):
    result = manage(tmp_path, "check", **{variable: value})
    assert result.returncode != 0
    assert variable in result.stderr
    assert "Traceback" not in result.stderr.splitlines()[-1]


def test_debug_is_off_unless_asked_for(tmp_path):
    result = shell(tmp_path, "from django.conf import settings; print(settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "False"


@pytest.mark.parametrize("debug", ["false", "true"])
def test_a_secret_key_is_made_once_in_the_data_folder_readable_by_its_owner_only(tmp_path, debug):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = shell(tmp_path, code, DEBUG=debug)
    second = shell(tmp_path, code, DEBUG=debug)
    key_file = tmp_path / "data" / "secret_key"
    assert first.returncode == 0, first.stderr
    assert key_file.read_text().strip() == first.stdout.strip().splitlines()[-1]
    assert second.stdout == first.stdout
    assert len(key_file.read_text().strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in key_file.parent.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("left_behind", ["", "\n", "short"])
def test_an_empty_or_cut_short_secret_key_file_is_made_again(tmp_path, left_behind):
    key_file = tmp_path / "data" / "secret_key"
    key_file.parent.mkdir()
    key_file.write_text(left_behind)
    result = shell(tmp_path, "from django.conf import settings; print(settings.SECRET_KEY)")
    assert result.returncode == 0, result.stderr
    key = result.stdout.split()[-1]
    assert len(key) >= 50
    assert key_file.read_text().strip() == key


def test_a_secret_key_from_the_environment_writes_no_file(tmp_path):
    result = shell(
        tmp_path,
        "from django.conf import settings; print(settings.SECRET_KEY)",
        SECRET_KEY="s" * 50,
    )
    assert result.stdout.split()[-1] == "s" * 50
    assert not (tmp_path / "data" / "secret_key").exists()


def test_allowed_hosts_and_csrf_origins_are_comma_separated_lists(tmp_path):
    code = (
        "from django.conf import settings; "
        "print(settings.ALLOWED_HOSTS, settings.CSRF_TRUSTED_ORIGINS, settings.TIME_ZONE)"
    )
    result = shell(
        tmp_path,
        code,
        ALLOWED_HOSTS="kefir.lan, 192.168.1.20",
        CSRF_TRUSTED_ORIGINS="https://kefir.lan",
        TIME_ZONE="Europe/Berlin",
    )
    assert "['kefir.lan', '192.168.1.20'] ['https://kefir.lan'] Europe/Berlin" in result.stdout


def test_database_url_can_name_postgresql(tmp_path):
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])"
    )
    result = shell(tmp_path, code, DATABASE_URL="postgres://kefir:secret@db.lan:5433/kefir")
    assert "django.db.backends.postgresql kefir db.lan 5433" in result.stdout


def test_a_real_sqlite_connection_uses_wal_full_sync_immediate_transactions_and_a_busy_timeout(
    tmp_path,
):
    database = tmp_path / "real.sqlite3"
    code = (
        "from django.db import connection, transaction\n"
        "cursor = connection.cursor()\n"
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0])\n"
        "print(cursor.execute('PRAGMA synchronous').fetchone()[0])\n"
        "print(cursor.execute('PRAGMA busy_timeout').fetchone()[0])\n"
        "print(cursor.execute('PRAGMA foreign_keys').fetchone()[0])\n"
        "cursor.execute('CREATE TABLE jar (id integer)')\n"
        "import sqlite3\n"
        "other = sqlite3.connect(connection.settings_dict['NAME'], timeout=0.1)\n"
        "with transaction.atomic():\n"
        "    connection.cursor().execute('SELECT 1')\n"
        "    try:\n"
        "        other.execute('INSERT INTO jar VALUES (1)'); print('not-locked')\n"
        "    except sqlite3.OperationalError as error:\n"
        "        print(str(error).replace(' ', '-'))\n"
    )
    result = shell(tmp_path, code, DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr
    # An atomic block that has only read already holds the write lock (BEGIN
    # IMMEDIATE), so a second writer waits instead of deadlocking later.
    # synchronous 2 is FULL: the WAL is synced at every commit (survives a power cut).
    assert result.stdout.split() == ["wal", "2", "20000", "1", "database-is-locked"]

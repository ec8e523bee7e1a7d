"""The real server (gunicorn, DEBUG off) with its data on a small disk that fills up.

DATA_DIR, with the SQLite database, is a tmpfs of a few MiB; a file then takes
its last byte. A write is answered "the disk is full" (a page for a plain post,
the sentence alone for htmx, status 507) and nothing of it is stored; every page
can still be read, also while a flash message waits in the session (reading it
changes the session, which cannot be saved), and also in development, where each
request closes its database connection (SQLite would delete the WAL files that
reading needs, and could not make them again); once space is freed the app goes
on. A write that was committed just before the disk filled is answered as saved
even though the session (its flash message) could not be saved after it.
"""

import sqlite3
import time

import pytest

from tests.commands import manage
from tests.disks import fill, small_disk
from tests.servers import Phone, gunicorn, prepare, settings_for

pytestmark = pytest.mark.slow

USERNAME, PASSWORD = "household", "a-long-kitchen-password-2026"
DISK_FULL = b"The disk is full: nothing was saved. Free some space and try again."
START = {"base": "cow", "volume_ml": "500", "grains_in_g": "25"}
HTMX = {"HX-Request": "true"}
WAL_HEADER, WAL_FRAME = 32, 4096 + 24  # bytes: SQLite's default page size and frame header


@pytest.fixture
def server(request, tmp_path):
    """gunicorn on a SQLite file in a 6 MiB DATA_DIR, with one user and two jars;
    yields the phone signed in, the jars' ids, the server's log, the disk and the file.
    In development (DEBUG on) each request closes its database connection."""
    with small_disk(tmp_path / "data", 6 * 1024) as disk:
        database = disk / "kefir.sqlite3"
        env = {**settings_for(database, "full-disk"), "DATA_DIR": str(disk)}
        if getattr(request, "param", "production") == "development":
            env["DEBUG"] = "true"
        prepare(tmp_path, env)
        code = (
            "from kefir_tracker.accounts.models import User;"
            "from kefir_tracker.grains.models import Culture;"
            f"user = User.objects.create_user({USERNAME!r}, password={PASSWORD!r});"
            "print(*(Culture.objects.create(owner=user, name=f'Jar {n}').pk for n in 'AB'))"
        )
        result = manage(tmp_path, "shell", "--no-imports", "-c", code, **env)
        assert result.returncode == 0, result.stderr
        jars = [int(pk) for pk in result.stdout.split()[-2:]]
        with gunicorn(tmp_path, env, 2) as (port, log):
            phone = Phone(port, time.monotonic() + 120)
            phone.sign_in(USERNAME, PASSWORD)
            yield phone, jars, log, disk, database


def batches_of(database, culture_pk):
    with sqlite3.connect(database) as connection:
        query = "SELECT count(*) FROM batches_batch WHERE culture_id = ?"
        return connection.execute(query, (culture_pk,)).fetchone()[0]


def integrity(database):
    with sqlite3.connect(database) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


@pytest.mark.parametrize("server", ["production", "development"], indirect=True)
def test_a_full_disk_refuses_writes_plainly_keeps_reads_working_and_recovers(server):
    phone, (jar_a, jar_b), log, disk, database = server
    # Started; the flash message "Started batch 1 of Jar A" waits in the session.
    assert phone.request("POST", f"/batches/start/{jar_a}/", START)[0] == 302
    filler = fill(disk)

    # Reading pages works, and shows the waiting message, though the session cannot be
    # saved; the app does not answer 400 to everything from then on.
    for _ in range(2):
        status, _, page = phone.request("GET", "/")
        assert status == 200
        assert b"Started batch 1 of Jar A in cow milk." in page
    status, _, page = phone.request("GET", "/history/")
    assert (status, b"Jar A" in page) == (200, True)
    assert phone.request("GET", f"/grains/{jar_b}/")[0] == 200

    # A plain post: the app's page saying so, with the way back; nothing stored.
    status, _, page = phone.request("POST", f"/batches/start/{jar_b}/", START)
    assert status == 507
    assert DISK_FULL in page
    assert b'class="tab-bar"' in page
    assert b'href="/">Go to Today</a>' in page
    assert b"Error 507" in page
    assert batches_of(database, jar_b) == 0

    # htmx: the sentence alone, as text, for the page to show where the person tapped.
    status, _, body = phone.request("POST", f"/batches/start/{jar_b}/", START, headers=HTMX)
    assert (status, body) == (507, DISK_FULL)
    assert phone.last_headers["Content-Type"] == "text/plain; charset=utf-8"
    status, _, body = phone.request(
        "POST", f"/grains/{jar_a}/weigh/", {"grams": "31"}, headers=HTMX
    )
    assert (status, body) == (507, DISK_FULL)
    assert batches_of(database, jar_b) == 0

    server_log = log.read_text()
    assert "Traceback" not in server_log, server_log[-3000:]
    assert "The disk is full" in server_log

    # Space freed: the same post is stored and said so.
    filler.unlink()
    status, page = phone.post_and_follow(f"/batches/start/{jar_b}/", START)
    assert status == 302
    assert b"Started batch 1 of Jar B in cow milk." in page
    assert batches_of(database, jar_b) == 1
    assert integrity(database) == "ok"


def test_a_write_committed_just_before_the_disk_filled_is_answered_as_saved(server):
    """The batch's commit fits in the disk's last bytes, the session's save after it
    does not: the person is told what happened to the batch, not 400."""
    phone, (jar_a, jar_b), log, disk, database = server
    wal = database.with_name(database.name + "-wal")
    # Room for one start's commit and no more: the WAL emptied, one start written in it
    # (an htmx start: it saves no session), copied into the database and begun again,
    # so the next commit reuses that start's room in the WAL; then the disk fills.
    control = sqlite3.connect(database, timeout=20)
    control.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert phone.request("POST", f"/batches/start/{jar_a}/", START, headers=HTMX)[0] == 200
    frames = (wal.stat().st_size - WAL_HEADER) // WAL_FRAME
    assert control.execute("PRAGMA wal_checkpoint(RESTART)").fetchone() == (0, frames, frames)
    control.close()
    fill(disk)

    status, location, _ = phone.request("POST", f"/batches/start/{jar_b}/", START)
    assert batches_of(database, jar_b) == 1  # committed (else the room above was too small)
    assert (status, location) == (302, "/")
    status, _, page = phone.request("GET", "/")
    assert status == 200
    assert b"Jar B" in page
    assert "was not saved" in log.read_text()  # the session's save failed, and was logged
    assert "Traceback" not in log.read_text()

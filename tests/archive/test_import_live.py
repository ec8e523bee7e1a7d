"""Imports against the real server: gunicorn (three workers, DEBUG off, its default
30 s worker timeout) on a SQLite file, as tests/test_concurrency.py runs it.

While one person imports years of batches through the page, another signs in and
weighs her grains again and again: every one of her saves must be stored, none may
wait into "database is locked". And two uploads of one file at once import it once.
Figures are printed (run with -s to see them).
"""

import importlib.util
import json
import sqlite3
import threading
import time
import uuid
from datetime import UTC, datetime

import pytest

from tests.commands import ROOT, manage
from tests.servers import Phone, gunicorn, prepare, settings_for

pytestmark = pytest.mark.slow

PASSWORD = "a-long-kitchen-password-2026"
DEADLINE_S = 240


def export_of(batches: int) -> bytes:
    """An export of ``batches`` batches with their tastings and weighings (bench/export_file.py)."""
    spec = importlib.util.spec_from_file_location("export_file", ROOT / "bench" / "export_file.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return json.dumps(module.export(batches)).encode()


class Person(Phone):
    def upload(self, raw: bytes, filename="kefir.json"):
        """The import form posted as a browser does (multipart); status and page."""
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{self.cookies.get('csrftoken', '')}\r\n".encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/json\r\n\r\n".encode(),
            raw,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
        status, _, content = self.request(
            "POST",
            "/account/data/",
            body=b"".join(parts),
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        return status, content


@pytest.fixture
def server(tmp_path):
    """gunicorn on a migrated SQLite file with two people, olga (who imports) and vera
    (her own grains, Kefirchen); yields (port, Kefirchen's id, log, database)."""
    database = tmp_path / "import.sqlite3"
    env = settings_for(database, "import-live")
    prepare(tmp_path, env)
    code = (
        "from kefir_tracker.accounts.models import User;"
        "from kefir_tracker.grains.models import Culture;"
        f"User.objects.create_user('olga', password={PASSWORD!r});"
        f"vera = User.objects.create_user('vera', password={PASSWORD!r});"
        "print(Culture.objects.create(owner=vera, name='Kefirchen').pk)"
    )
    result = manage(tmp_path, "shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    kefirchen = int(result.stdout.split()[-1])

    with gunicorn(tmp_path, env, workers=3) as (port, log):
        yield port, kefirchen, log, database


def count(database, table, where="1"):
    with sqlite3.connect(database) as connection:
        return connection.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}").fetchone()[0]


def test_other_peoples_saves_go_through_while_years_of_batches_are_imported(server):
    port, kefirchen, log, database = server
    deadline = time.monotonic() + DEADLINE_S
    olga, vera = Person(port, deadline), Person(port, deadline)
    olga.sign_in("olga", PASSWORD)
    raw = export_of(6_000)  # 2.6 MB: hit the worker timeout before imports were fast
    imported = {}

    def import_it():
        imported["began"] = time.monotonic()
        imported["answer"] = olga.upload(raw)
        imported["ended"] = time.monotonic()

    importer = threading.Thread(target=import_it)
    importer.start()
    while "began" not in imported:
        time.sleep(0.01)
    vera.sign_in("vera", PASSWORD)  # signing in writes too: the session, the sign-in record
    today = datetime.now(UTC).date().isoformat()  # vera's zone is the default, UTC
    saves = []  # (status, when)
    while importer.is_alive() and len(saves) < 2_000:
        status, _ = vera.post_and_follow(
            f"/grains/{kefirchen}/weigh/",
            {"grams": str(20 + len(saves) % 50), "weighed_on": today},
        )
        saves.append((status, time.monotonic()))
    importer.join(timeout=max(1, deadline - time.monotonic()))
    status, page = imported["answer"]
    during = [s for s in saves if imported["began"] <= s[1] <= imported["ended"]]
    print(
        f"\nimport of 6,000 batches through the page: {imported['ended'] - imported['began']:.1f} s; "
        f"{len(saves)} weighings by another person meanwhile, "
        f"{sum(s == 302 for s, _ in saves)} saved"
    )

    assert status == 302, page[-3000:]
    assert count(database, "batches_batch") == 6_000
    assert len(during) >= 3, "the weighings did not overlap the import"
    assert [s for s, _ in saves if s != 302] == []
    assert count(database, "grains_weighing", f"culture_id = {kefirchen}") == len(saves)
    assert [a for a in olga.answers + vera.answers if a[2] >= 400] == []
    assert vera.locked == []
    assert olga.locked == []
    server_log = log.read_text()
    assert "database is locked" not in server_log
    assert "Traceback" not in server_log, server_log[-3000:]
    assert "WORKER TIMEOUT" not in server_log


def test_two_uploads_of_one_file_at_once_import_it_once(server):
    port, _, log, database = server
    deadline = time.monotonic() + DEADLINE_S
    tabs = [Person(port, deadline), Person(port, deadline)]  # two tabs, or a repeated tap
    for tab in tabs:
        tab.sign_in("olga", PASSWORD)
    raw = export_of(3_000)
    ready = threading.Barrier(len(tabs))
    answers = {}

    def press(n, tab):
        ready.wait(timeout=30)
        answers[n] = tab.upload(raw)

    threads = [threading.Thread(target=press, args=(n, tab)) for n, tab in enumerate(tabs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = sorted(status for status, _ in answers.values())
    assert statuses == [200, 302], statuses
    told = next(page for status, page in answers.values() if status == 200)
    assert b"kefir.json is already being imported" in told
    assert b"it is imported once" in told
    assert count(database, "batches_batch") == 3_000
    olgas = "owner_id = (SELECT id FROM accounts_user WHERE username = 'olga')"
    assert count(database, "grains_culture", olgas) == 24
    assert count(database, "archive_importunderway") == 0
    assert "Traceback" not in log.read_text()

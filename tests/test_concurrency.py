"""Eight people's phones at once against the real server on a SQLite file.

gunicorn (three workers, DEBUG off) serves a fresh, migrated SQLite database of
its own; eight clients sign in through the sign-in form, each with its own
cookies, and each starts and strains 25 batches of its own jar of grains through
the HTML forms, the way a phone without JavaScript would (post, then follow the
redirect). Every one of the 200 batches must be stored and strained, no answer
may be an error, and "database is locked" must appear nowhere. Then all eight
press Start on the same grains at once: one batch starts, the others are told
the grains are fermenting. Last, one form is sent twice at the same moment (a
retry racing the first try, with the same one-time key): one batch, two
answers that say so. The figures are printed (run with -s to see them).
"""

import re
import sqlite3
import threading
import time
import urllib.parse

import pytest

from tests.commands import manage
from tests.servers import Phone, gunicorn, prepare, settings_for

pytestmark = pytest.mark.slow

CLIENTS, BATCHES_EACH, WORKERS = 8, 25, 3
DEADLINE_S = 300  # for the whole run; every loop below is bounded by count and by this
USERNAME, PASSWORD = "household", "a-long-kitchen-password-2026"
ROW_ID = re.compile(rb'id="row-(\d+)"')


class Kitchen(Phone):
    """A phone of the household, logging batches of its own jar."""

    def sign_in(self):
        super().sign_in(USERNAME, PASSWORD)

    def start_and_strain(self, number, culture_pk, batches):
        token = f"[c{number}-b{batches}]"
        start = f"/batches/start/{culture_pk}/"
        fields = {"base": "cow", "volume_ml": "500", "grains_in_g": "25", "notes": token}
        status, _ = self.post_and_follow(start, fields)
        if status != 302:
            return None
        _, _, page = self.request("GET", "/history/?" + urllib.parse.urlencode({"q": token}))
        found = ROW_ID.findall(page)
        if len(found) != 1:
            return None
        pk = int(found[0])
        status, _ = self.post_and_follow(f"/batches/{pk}/strain/", {})
        return pk if status == 302 else None


def run_phone(phone, number, culture_pk, results):
    try:
        phone.sign_in()
        results[number] = [
            phone.start_and_strain(number, culture_pk, n) for n in range(BATCHES_EACH)
        ]
    except Exception as error:  # reported by the test, with the client's number
        results[number] = error


@pytest.fixture
def server(tmp_path):
    """gunicorn on a migrated SQLite file with one user and their grains; yields (port, log)."""
    env = settings_for(tmp_path / "load.sqlite3", "concurrency")
    prepare(tmp_path, env)
    jars = CLIENTS + 2  # one for each phone, one they all start at once, one for a retry
    code = (
        "from kefir_tracker.accounts.models import User;"
        "from kefir_tracker.grains.models import Culture;"
        f"user = User.objects.create_user({USERNAME!r}, password={PASSWORD!r});"
        f"print(*(Culture.objects.create(owner=user, name=f'Jar {{n}}').pk for n in range({jars})))"
    )
    result = manage(tmp_path, "shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    culture_pks = [int(pk) for pk in result.stdout.split()[-jars:]]

    with gunicorn(tmp_path, env, WORKERS) as (port, log):
        yield port, culture_pks, log, tmp_path / "load.sqlite3"


def stored_figures(database):
    """How many batches are stored and strained, and each jar's numbers in logging order."""
    with sqlite3.connect(database) as connection:
        stored, strained = connection.execute(
            "SELECT COUNT(*), COUNT(strained_at) FROM batches_batch"
        ).fetchone()
        numbers: dict[int, list[int]] = {}
        rows = connection.execute("SELECT culture_id, number FROM batches_batch ORDER BY id")
        for culture_id, number in rows:
            numbers.setdefault(culture_id, []).append(number)
    return stored, strained, numbers


def start_at_once(phones, culture_pk, key=None):
    """Every phone presses Start on the same grains at the same moment; their answers.
    With ``key``, they send one form (one one-time key) again and again."""
    ready = threading.Barrier(len(phones))
    answers: dict[int, tuple[int, bytes]] = {}

    def press(n, phone):
        ready.wait(timeout=30)
        fields = {"base": "cow", "volume_ml": "500", "grains_in_g": "25", "notes": f"at once {n}"}
        if key is not None:
            fields.update(once=key, notes="one form")
        answers[n] = phone.post_and_follow(f"/batches/start/{culture_pk}/", fields)

    threads = [threading.Thread(target=press, args=(n, p)) for n, p in enumerate(phones)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_eight_clients_start_and_strain_200_batches_at_once(server):
    port, culture_pks, log, database = server
    deadline = time.monotonic() + DEADLINE_S
    phones = [Kitchen(port, deadline) for _ in range(CLIENTS)]
    results: dict[int, object] = {}
    threads = [
        threading.Thread(target=run_phone, args=(phone, n, culture_pks[n], results))
        for n, phone in enumerate(phones)
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1, deadline - time.monotonic()))
    wall = time.monotonic() - began

    answers = [answer for phone in phones for answer in phone.answers]
    errors = [answer for answer in answers if answer[2] >= 400]
    locked = [where for phone in phones for where in phone.locked]
    stored, strained, numbers = stored_figures(database)
    server_log = log.read_text()
    print(
        f"\nconcurrency: {CLIENTS} clients x {BATCHES_EACH} batches = {CLIENTS * BATCHES_EACH} "
        f"sent; {stored} stored, {strained} strained; {len(answers)} requests, "
        f"{len(errors)} errors (status >= 400); {len(locked)} 'database is locked'; "
        f"{wall:.1f} s wall, {len(answers) / wall:.0f} requests/s, {WORKERS} gunicorn workers"
    )

    assert not any(thread.is_alive() for thread in threads), "a client did not finish in time"
    failed = {n: result for n, result in results.items() if isinstance(result, Exception)}
    assert not failed, failed
    assert errors == []
    assert locked == []
    assert "database is locked" not in server_log
    assert "Traceback" not in server_log, server_log[-3000:]
    ids = [pk for result in results.values() for pk in result]
    assert None not in ids, "a start was refused or its batch not found"
    assert len(set(ids)) == CLIENTS * BATCHES_EACH
    assert (stored, strained) == (CLIENTS * BATCHES_EACH, CLIENTS * BATCHES_EACH)
    # Each jar's batches numbered 1, 2, 3… in the order they were logged, none skipped.
    assert sorted(numbers.values()) == [list(range(1, BATCHES_EACH + 1))] * CLIENTS

    # One jar, eight phones pressing Start at once: one batch starts, the others are told why.
    shared, retried = culture_pks[-2:]
    pressed = start_at_once(phones, shared)
    statuses = sorted(status for status, _ in pressed.values())
    assert statuses == [200] * (CLIENTS - 1) + [302], statuses
    refused = [page for status, page in pressed.values() if status == 200]
    assert all(b"are fermenting batch #1" in page for page in refused)
    assert stored_figures(database)[2][shared] == [1]
    assert "Traceback" not in log.read_text()

    # One form sent twice at once: one batch; both answers are the page after it started.
    pressed = start_at_once(phones[:2], retried, key="6f1c2f4e-8d0a-4a57-9c35-0d6b1f3a9e21")
    assert sorted(status for status, _ in pressed.values()) == [302, 302]
    assert stored_figures(database)[2][retried] == [1]
    shown = [page for _, page in pressed.values()]
    assert sum(b"Started batch 1 of Jar 9 in cow milk." in page for page in shown) == 1
    assert sum(b"Sent twice, saved once: batch 1 of Jar 9." in page for page in shown) == 1
    assert "Traceback" not in log.read_text()

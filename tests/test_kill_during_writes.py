"""kill -9 of the whole server while phones are writing loses no acknowledged write.

gunicorn (three workers, DEBUG off) on a SQLite file of its own; four phones of
one household each start a batch, strain it, taste it and weigh their jar, over
and over, through the plain HTML forms, each write with a one-time key of its
own. Every write whose success answer (the redirect) arrived is noted. In the
middle of it the master and every worker get SIGKILL at once; then the file is
opened afresh (SQLite recovers its WAL) and every noted write must be there,
with PRAGMA integrity_check ok.

What this can and cannot show: a killed process loses nothing the kernel
already has, so a commit acknowledged here is in the OS page cache either way.
It checks that no write is acknowledged before its commit and that a process
killed mid-transaction leaves a sound file; it cannot tell synchronous=FULL from
NORMAL. FULL is for a power cut, which this machine cannot stage (a tmpfs
forgets everything, and dropping writes the kernel has acknowledged needs a
device mapper or a virtual machine).
"""

import http.client
import os
import re
import signal
import sqlite3
import threading
import time
import uuid
from pathlib import Path

import pytest

from tests.commands import manage
from tests.servers import Phone, gunicorn, prepare, settings_for

pytestmark = pytest.mark.slow

PHONES, WORKERS = 4, 3
ACKNOWLEDGED_BEFORE_KILL = 60  # writes answered before the server is killed
DEADLINE_S = 120
USERNAME, PASSWORD = "household", "a-long-kitchen-password-2026"
ROW_ID = re.compile(rb'id="row-(\d+)"')
GONE = (ConnectionError, http.client.HTTPException, TimeoutError, OSError)


class Writer(Phone):
    """A phone that writes until the server is gone, noting each acknowledged write."""

    def __init__(self, port, deadline, acknowledged):
        super().__init__(port, deadline)
        self.acknowledged = acknowledged  # shared: (kind, one-time key or batch id)
        self.refused: list[tuple[str, int]] = []
        self.cut_off = False  # a request the kill left without an answer

    def write(self, kind, path, fields, ack):
        status, _, _ = self.request("POST", path, fields)
        if status != 302:
            self.refused.append((kind, status))
            return False
        self.acknowledged.append((kind, ack))
        return True

    def keep_writing(self, number, culture_pk):
        for round in range(10_000):
            token, start_key = f"[p{number}-r{round}]", str(uuid.uuid4())
            fields = {"base": "cow", "volume_ml": "500", "grains_in_g": "25"}
            fields.update(notes=token, once=start_key)
            if not self.write("start", f"/batches/start/{culture_pk}/", fields, start_key):
                return
            found = ROW_ID.findall(self.request("GET", f"/history/?q={token}")[2])
            if len(found) != 1:
                self.refused.append(("find", len(found)))
                return
            batch = int(found[0])
            if not self.write("strain", f"/batches/{batch}/strain/", {}, batch):
                return
            key = str(uuid.uuid4())
            fields = {"rating": "4", "notes": token, "once": key}
            if not self.write("taste", f"/batches/{batch}/taste/", fields, key):
                return
            key = str(uuid.uuid4())
            if not self.write(
                "weigh", f"/grains/{culture_pk}/weigh/", {"grams": "30", "once": key}, key
            ):
                return


def run_writer(writer, number, culture_pk, errors):
    try:
        writer.sign_in(USERNAME, PASSWORD)
        writer.keep_writing(number, culture_pk)
    except GONE:
        writer.cut_off = True  # killed under this request: it was never acknowledged
    except Exception as error:  # reported by the test
        errors[number] = error


def server_processes(port) -> list[int]:
    """The gunicorn master and its workers serving ``port`` (they share one command line)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"kefir_tracker.wsgi" in command and f"127.0.0.1:{port}".encode() in command:
            found.append(int(proc.name))
    return found


def alive(pid) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def stored(database, acknowledged):
    """The acknowledged writes that are not in the database, and its integrity_check."""
    missing = []
    with sqlite3.connect(database) as connection:
        for kind, ack in acknowledged:
            if kind == "strain":
                query = "SELECT 1 FROM batches_batch WHERE id = ? AND strained_at IS NOT NULL"
                found = connection.execute(query, (ack,)).fetchone()
            else:
                query = "SELECT made_model, made_id FROM submissions_submission WHERE key = ?"
                submission = connection.execute(query, (uuid.UUID(ack).hex,)).fetchone()
                found = (
                    submission
                    and connection.execute(
                        f"SELECT 1 FROM {submission[0].replace('.', '_')} WHERE id = ?",
                        (submission[1],),
                    ).fetchone()
                )
            if not found:
                missing.append((kind, ack))
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    return missing, verdict


def test_kill_9_of_master_and_workers_while_writing_loses_no_acknowledged_write(tmp_path):
    database = tmp_path / "kill.sqlite3"
    env = settings_for(database, "kill")
    prepare(tmp_path, env)
    code = (
        "from kefir_tracker.accounts.models import User;"
        "from kefir_tracker.grains.models import Culture;"
        f"user = User.objects.create_user({USERNAME!r}, password={PASSWORD!r});"
        f"print(*(Culture.objects.create(owner=user, name=f'Jar {{n}}').pk for n in range({PHONES})))"
    )
    result = manage(tmp_path, "shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    culture_pks = [int(pk) for pk in result.stdout.split()[-PHONES:]]

    acknowledged: list[tuple[str, object]] = []
    errors: dict[int, Exception] = {}
    with gunicorn(tmp_path, env, WORKERS) as (port, log):
        deadline = time.monotonic() + DEADLINE_S
        writers = [Writer(port, deadline, acknowledged) for _ in range(PHONES)]
        threads = [
            threading.Thread(target=run_writer, args=(writer, n, culture_pks[n], errors))
            for n, writer in enumerate(writers)
        ]
        for thread in threads:
            thread.start()
        while len(acknowledged) < ACKNOWLEDGED_BEFORE_KILL and time.monotonic() < deadline:
            time.sleep(0.01)
        processes = server_processes(port)
        for pid in processes:
            os.kill(pid, signal.SIGKILL)
        acknowledged_at_kill = len(acknowledged)
        for thread in threads:
            thread.join(timeout=30)
        gone_by = time.monotonic() + 10
        while any(alive(pid) for pid in processes) and time.monotonic() < gone_by:
            time.sleep(0.05)
        server_log = log.read_text()

    assert not any(thread.is_alive() for thread in threads)
    assert errors == {}
    assert [refused for writer in writers for refused in writer.refused] == []
    assert len(processes) == WORKERS + 1, processes
    assert not any(alive(pid) for pid in processes)
    assert "Traceback" not in server_log, server_log[-3000:]
    assert acknowledged_at_kill >= ACKNOWLEDGED_BEFORE_KILL
    kinds = {kind for kind, _ in acknowledged}
    assert kinds == {"start", "strain", "taste", "weigh"}

    cut_off = sum(writer.cut_off for writer in writers)
    assert cut_off >= 1, "no request was under way when the server was killed"

    missing, verdict = stored(database, acknowledged)
    print(
        f"\nkill -9: {len(processes)} processes killed after {acknowledged_at_kill} "
        f"acknowledged writes, {cut_off} requests cut off; {len(acknowledged)} acknowledged "
        f"in all, {len(missing)} missing; integrity_check {verdict}"
    )
    assert missing == []
    assert verdict == "ok"

"""The backup command against a real SQLite file while another connection keeps writing."""

import sqlite3
import threading

from tests.commands import manage


def test_backup_writes_a_checked_copy_and_keeps_the_newest(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}"}
    assert manage(tmp_path, "migrate", "-v0", **env).returncode == 0
    assert manage(tmp_path, "demo_data", **env).returncode == 0
    live = sqlite3.connect(tmp_path / "live.sqlite3", timeout=20)
    batches = live.execute("SELECT count(*) FROM batches_batch").fetchone()[0]

    stop = threading.Event()

    def keep_writing():
        writer = sqlite3.connect(tmp_path / "live.sqlite3", timeout=20)
        while not stop.is_set():
            with writer:
                writer.execute("UPDATE batches_batch SET notes = notes || '.' WHERE id = 1")
        writer.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        results = [
            manage(tmp_path, "backup", "--keep", "2", "--dir", str(tmp_path / "b"), **env)
            for _ in range(3)
        ]
    finally:
        stop.set()
        thread.join()

    assert all(r.returncode == 0 for r in results), results[-1].stderr
    assert "integrity ok" in results[-1].stdout
    copies = sorted((tmp_path / "b").glob("kefir-*.sqlite3"))
    assert len(copies) == 2
    copy = sqlite3.connect(copies[-1])
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM batches_batch").fetchone()[0] == batches


def test_backup_refuses_postgresql_and_points_to_pg_dump(tmp_path):
    result = manage(tmp_path, "backup", DATABASE_URL="postgres://kefir:kefir@127.0.0.1:1/none")
    assert result.returncode != 0
    assert "pg_dump" in result.stderr

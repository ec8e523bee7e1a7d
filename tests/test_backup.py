"""The backup command against a real SQLite file while another connection keeps writing."""

import fcntl
import os
import sqlite3
import threading

from tests.commands import manage
from tests.disks import fill, small_disk


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


def live_database(tmp_path):
    """A migrated SQLite file (some 300 KiB); its settings."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}"}
    assert manage(tmp_path, "migrate", "-v0", **env).returncode == 0
    return env


def test_backup_on_a_full_disk_says_so_in_one_line_and_leaves_nothing_behind(tmp_path):
    env = live_database(tmp_path)
    with small_disk(tmp_path / "usb", 128) as usb:  # smaller than the database
        for _ in range(2):  # the copy stops part-way; then the disk is full from the start
            result = manage(tmp_path, "backup", "--dir", str(usb), **env)
            assert result.returncode != 0
            assert result.stderr.strip().splitlines() == [
                f"CommandError: The disk is full: no backup was made in {usb} (the database "
                f"takes {(tmp_path / 'live.sqlite3').stat().st_size / 1024:,.0f} KiB). "
                "Free some space and try again."
            ]
            assert list(usb.glob("kefir-*")) == []
            fill(usb)


def test_backup_removes_partial_copies_left_by_one_that_crashed(tmp_path):
    env = live_database(tmp_path)
    backups = tmp_path / "b"
    backups.mkdir()
    left = [backups / "kefir-20261201-031500-000001.partial", backups / "kefir-x.partial-journal"]
    for path in left:
        path.write_bytes(b"")
    result = manage(tmp_path, "backup", "--keep", "2", "--dir", str(backups), **env)
    assert result.returncode == 0, result.stderr
    assert [path.suffix for path in backups.glob("kefir-*")] == [".sqlite3"]


def test_a_second_backup_into_the_same_folder_meanwhile_does_not_start(tmp_path):
    env = live_database(tmp_path)
    backups = tmp_path / "b"
    backups.mkdir()
    (backups / "kefir-20261201-031500-000001.partial").write_bytes(b"being written")
    folder = os.open(backups, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)  # as the backup being written holds it
        result = manage(tmp_path, "backup", "--dir", str(backups), **env)
    finally:
        os.close(folder)
    assert result.returncode != 0
    assert "Another backup is being written into" in result.stderr
    assert [path.name for path in backups.iterdir()] == ["kefir-20261201-031500-000001.partial"]

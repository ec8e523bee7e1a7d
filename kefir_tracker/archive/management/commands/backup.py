import fcntl
import os
import shutil
import sqlite3
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kefir_tracker.durability import is_disk_full


@contextmanager
def alone_in(dir: Path):
    """While a backup is written into ``dir``, no other may write there (cron overlapping
    a backup by hand): a lock on the folder, which the system drops if the process dies."""
    folder = os.open(dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CommandError(
                f"Another backup is being written into {dir}; this one did not start."
            ) from None
        yield
    finally:
        os.close(folder)


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the SQLite database while the app keeps running, check it "
        "with PRAGMA integrity_check, and keep only the newest copies. For PostgreSQL use pg_dump."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=settings.DATA_DIR / "backups",
            help="folder for the copies (default: data/backups)",
        )
        parser.add_argument("--keep", type=int, default=7, help="how many copies to keep (7)")

    def handle(self, *args, dir: Path, keep: int, **options):
        if connection.vendor != "sqlite":
            raise CommandError(
                "This database is PostgreSQL: back it up with pg_dump (see the README)."
            )
        if keep < 1:
            raise CommandError("--keep must be at least 1.")
        database = Path(settings.DATABASES["default"]["NAME"])
        try:
            dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            with alone_in(dir):
                # No other backup runs: a part-written copy is left from one that crashed.
                for path in dir.glob("kefir-*.partial*"):
                    path.unlink(missing_ok=True)
                target = self.copy(database, dir)
        except (sqlite3.Error, OSError) as error:
            raise CommandError(self.failed(error, dir, database)) from None

        old = sorted(dir.glob("kefir-*.sqlite3"))[:-keep]
        for path in old:
            path.unlink()
        size = target.stat().st_size / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up to {target} ({size:,.0f} KiB, integrity ok); "
                f"{len(old)} older cop{'y' if len(old) == 1 else 'ies'} removed."
            )
        )

    def copy(self, database: Path, dir: Path) -> Path:
        """The checked copy, written as ``.partial`` and renamed when whole; on any failure
        the part-written files are removed."""
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        target = dir / f"kefir-{stamp}.sqlite3"
        partial = target.with_suffix(".partial")
        try:
            # SQLite's online backup API copies page by page and restarts if a
            # writer changes the database meanwhile, so the copy is consistent.
            with (
                closing(sqlite3.connect(database)) as source,
                closing(sqlite3.connect(partial)) as copy,
            ):
                with copy:
                    source.backup(copy)
                verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise CommandError(
                    f"The copy failed its integrity check ({verdict}); nothing kept."
                )
            partial.rename(target)
        except BaseException:  # a full disk, a broken copy, Ctrl-C: nothing part-written stays
            for path in dir.glob(f"{partial.name}*"):  # with its journal or WAL files
                path.unlink(missing_ok=True)
            raise
        return target

    def failed(self, error, dir: Path, database: Path) -> str:
        """One line on why no copy was made."""
        files = [database, database.with_name(f"{database.name}-wal")]
        needed = sum(path.stat().st_size for path in files if path.exists())
        if is_disk_full(error) or (dir.exists() and shutil.disk_usage(dir).free < needed):
            return (
                f"The disk is full: no backup was made in {dir} (the database takes "
                f"{needed / 1024:,.0f} KiB). Free some space and try again."
            )
        return f"The backup into {dir} failed: {error}. No backup was made."

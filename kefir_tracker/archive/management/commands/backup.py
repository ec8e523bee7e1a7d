import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


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
        dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        target = dir / f"kefir-{stamp}.sqlite3"
        partial = target.with_suffix(".partial")

        # SQLite's online backup API copies page by page and restarts if a
        # writer changes the database meanwhile, so the copy is consistent.
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        copy = sqlite3.connect(partial)
        try:
            with copy:
                source.backup(copy)
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
            source.close()
        if verdict != "ok":
            partial.unlink(missing_ok=True)
            raise CommandError(f"The copy failed its integrity check ({verdict}); nothing kept.")
        partial.rename(target)

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

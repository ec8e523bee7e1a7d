from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kefir_tracker.accounts.models import User
from kefir_tracker.archive.importing import ImportRefused, import_file


class Command(BaseCommand):
    help = (
        "Import a JSON export into a user's account, all or nothing. Grains the account already "
        "has (same name) and identical batches, weighings and tastings are skipped, not doubled."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("file", type=Path)

    def handle(self, *args, username, file: Path, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"There is no user called {username!r}.") from None
        try:
            summary = import_file(user, file.read_bytes(), file.name)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except ImportRefused as refusal:
            raise CommandError(
                "Nothing was imported:\n  " + "\n  ".join(refusal.problems)
            ) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))

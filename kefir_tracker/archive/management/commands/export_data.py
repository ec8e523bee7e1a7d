import json
import sys

from django.core.management.base import BaseCommand, CommandError

from kefir_tracker.accounts.models import User
from kefir_tracker.archive.exchange import export_data, write_batches_csv


class Command(BaseCommand):
    help = "Write one person's data as JSON (everything, for import) or CSV (batches, for spreadsheets)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, username, format, output, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"There is no user called {username!r}.") from None
        out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
        try:
            if format == "json":
                json.dump(export_data(user), out, indent=1, ensure_ascii=False)
                out.write("\n")
            else:
                write_batches_csv(user, out)
        finally:
            if output:
                out.close()

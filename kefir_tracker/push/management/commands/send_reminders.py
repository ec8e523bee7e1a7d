import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from kefir_tracker.push.sending import Outcome, send_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Send the reminders that are due to the phones people turned notifications on "
        "for. Once from cron (every minute), or --every SECONDS to keep going (run.py "
        "does). Safe when two run at once: each reminder is sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, metavar="SECONDS", help="keep sending, this often")

    def handle(self, *args, every=None, verbosity=1, **options):
        self.verbosity = verbosity
        if every is None:
            self.report(send_due())
            return
        if every < 1:
            raise CommandError("--every takes a number of seconds, 1 or more.")
        try:
            while True:
                started = time.monotonic()
                try:
                    self.report(send_due())
                except Exception:  # the database away a moment: the next round tries again
                    logger.exception("Sending reminders failed")
                close_old_connections()
                time.sleep(max(0.0, every - (time.monotonic() - started)))
        except KeyboardInterrupt:
            return

    def report(self, counts):
        if counts and self.verbosity >= 1:
            self.stdout.write(
                f"Reminders: {counts[Outcome.DELIVERED]} delivered, "
                f"{counts[Outcome.GONE]} to phones no longer subscribed (removed), "
                f"{counts[Outcome.FAILED]} failed (tried again next time)."
            )

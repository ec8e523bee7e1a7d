from django.core.management.base import BaseCommand, CommandError

from kefir_tracker.accounts.models import User
from kefir_tracker.batches.models import Base
from kefir_tracker.forecast.backtest import backtest
from kefir_tracker.forecast.model import observations_for


class Command(BaseCommand):
    help = (
        "Replay a person's strained batches: predict each from the ones before it, with "
        "the ready-time model and with the old rule (median of the last 20 of the base), "
        "and print the median absolute error in hours of each."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"No user called {username!r}.") from None
        scores = backtest(observations_for(user, limit=None))
        if not scores["all"].batches:
            raise CommandError(f"{user} has no strained batches to replay.")
        self.stdout.write(f"{'':<14}{'batches':>8}{'model':>9}{'old rule':>10}{'in range':>10}")
        for key, score in scores.items():
            label = "all" if key == "all" else Base(key).label
            self.stdout.write(
                f"{label:<14}{score.batches:>8}{score.new_median:>8.2f}h{score.old_median:>9.2f}h"
                f"{score.coverage:>10.0%}"
            )

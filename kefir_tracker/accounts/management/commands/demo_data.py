from django.core.management.base import BaseCommand
from django.db import transaction

from kefir_tracker.accounts.models import User
from kefir_tracker.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo_data


class Command(BaseCommand):
    help = (
        f"Create the user '{DEMO_USERNAME}' (password '{DEMO_PASSWORD}') with a year of kefir: "
        "three lineages of grains, about 300 batches, tastings and weighings. "
        "Does nothing if the demo user already exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="only on a brand-new installation (no users at all); used by run.py",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the demo user and everything they logged, then load a fresh year",
        )

    def handle(self, *args, if_empty=False, reset=False, **options):
        if if_empty and User.objects.exists():
            return
        with transaction.atomic():
            existing = User.objects.filter(username=DEMO_USERNAME)
            if existing.exists() and not reset:
                self.stdout.write(
                    f"The demo user '{DEMO_USERNAME}' already exists; nothing changed."
                )
                return
            existing.delete()
            user = load_demo_data()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: sign in as '{DEMO_USERNAME}' with password '{DEMO_PASSWORD}' "
                f"({user.cultures.count()} grains, {user.batches.count()} batches)."
            )
        )

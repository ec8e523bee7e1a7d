"""Migration 0003: a weighing's day becomes noon of that day in its owner's time zone."""

import zoneinfo
from datetime import date, datetime, time

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import make_user

BEFORE = [("grains", "0002_rest_milk_changed_at")]
AFTER = [("grains", "0003_weighing_weighed_at")]


@pytest.mark.django_db(transaction=True)
def test_weighing_days_become_noon_in_the_owners_zone_and_can_go_back():
    # The accounts table is the current one (only the grains go back): made with today's model.
    users = [
        make_user("tokyo", time_zone="Asia/Tokyo"),
        make_user("lima", time_zone="America/Lima"),
    ]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        Culture, Weighing = (old.get_model("grains", name) for name in ("Culture", "Weighing"))
        for user in users:
            culture = Culture.objects.create(owner_id=user.pk, name="Babushka", kind="milk")
            Weighing.objects.create(culture=culture, weighed_on=date(2026, 1, 10), grams=30)

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("grains", "Weighing")
        times = dict(new.objects.values_list("culture__owner__username", "weighed_at"))
        assert times == {
            name: datetime.combine(date(2026, 1, 10), time(12), zoneinfo.ZoneInfo(zone))
            for name, zone in (("tokyo", "Asia/Tokyo"), ("lima", "America/Lima"))
        }

        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        back = executor.loader.project_state(BEFORE).apps.get_model("grains", "Weighing")
        assert set(back.objects.values_list("weighed_on", flat=True)) == {date(2026, 1, 10)}
    finally:
        MigrationExecutor(connection).migrate(latest)

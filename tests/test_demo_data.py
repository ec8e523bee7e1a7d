import itertools
import statistics
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max

from kefir_tracker.accounts.models import User
from kefir_tracker.batches.models import Base, Batch, TastingNote
from kefir_tracker.grains.models import Culture, Kind, Origin, Status, Weighing


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("demo_data", stdout=out)
    return User.objects.get(username="demo"), out.getvalue()


def first_ferment_hours(batches):
    return [(b.strained_at - b.started_at).total_seconds() / 3600 for b in batches]


def test_the_demo_user_can_sign_in_with_the_printed_password(client, demo):
    _, output = demo
    assert "sign in as 'demo' with password 'demo'" in output
    response = client.post("/account/sign-in/", {"username": "demo", "password": "demo"})
    assert response.status_code == 302


def test_demo_has_three_lineages_over_four_generations_with_splits_and_a_gift(demo):
    user, _ = demo
    cultures = Culture.objects.for_user(user).with_tree_fields()
    roots = [c for c in cultures if c.parent_id is None]
    assert len(roots) == 3
    assert {c.kind for c in roots} == {Kind.MILK, Kind.WATER}
    assert max(c.tree_depth for c in cultures) + 1 == 4
    assert any(c.status == Status.GIVEN_AWAY and c.given_to for c in cultures)
    assert any(c.origin == Origin.GIFT for c in roots)
    assert cultures.filter(origin=Origin.SPLIT).count() >= 5


def test_demo_has_about_300_batches_on_every_base(demo):
    user, _ = demo
    batches = Batch.objects.for_user(user)
    assert 250 <= batches.count() <= 350
    assert set(batches.values_list("base", flat=True)) == set(Base.values)
    assert batches.fermenting().exists()
    assert TastingNote.objects.for_user(user).count() > batches.count() / 2
    assert batches.exclude(flavourings="").exists()
    assert batches.filter(discarded=True).exists()


def test_demo_batches_are_faster_in_a_warm_kitchen(demo):
    user, _ = demo
    cow = Batch.objects.for_user(user).filter(base=Base.COW, strained_at__isnull=False)
    cool = first_ferment_hours(cow.filter(room_temp_c__lt=21))
    warm = first_ferment_hours(cow.filter(room_temp_c__gt=24))
    assert statistics.median(warm) < statistics.median(cool)
    assert 12 <= statistics.median(first_ferment_hours(cow)) <= 36


def test_demo_grains_are_weighed_every_week(demo):
    user, _ = demo
    active = Culture.objects.for_user(user).active()
    for culture in active:
        dates = sorted(
            Weighing.objects.filter(culture=culture).values_list("weighed_at", flat=True)
        )
        gaps = [(b - a).days for a, b in itertools.pairwise(dates)]
        assert gaps, culture
        assert statistics.median(gaps) <= 8, culture


def test_running_the_demo_command_twice_does_not_duplicate_anything(demo):
    counts = (Culture.objects.count(), Batch.objects.count(), Weighing.objects.count())

    out = StringIO()
    call_command("demo_data", stdout=out)

    assert "already exists" in out.getvalue()
    assert (Culture.objects.count(), Batch.objects.count(), Weighing.objects.count()) == counts


def test_reset_replaces_the_demo_year_with_a_fresh_one(demo):
    newest = Batch.objects.aggregate(newest=Max("started_at"))["newest"]
    call_command("demo_data", "--reset", stdout=StringIO())
    assert User.objects.filter(username="demo").count() == 1
    assert 250 <= Batch.objects.count() <= 350
    assert Batch.objects.aggregate(newest=Max("started_at"))["newest"] >= newest


def test_if_empty_leaves_an_installation_with_users_alone(owner):
    call_command("demo_data", "--if-empty", stdout=StringIO())
    assert not User.objects.filter(username="demo").exists()


def test_today_on_the_demo_shows_every_part_of_the_cycle(client, demo):
    client.post("/account/sign-in/", {"username": "demo", "password": "demo"})
    page = client.get("/").content.decode()
    for heading in ("Fermenting now", "Waiting for a tasting", "Second ferment", "Grains"):
        assert f">{heading}</h2>" in page, heading
    assert "Burp the bottles" in page  # the bottles are water kefir

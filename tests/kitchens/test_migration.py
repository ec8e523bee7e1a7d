"""Migrations kitchens 0002 and around: everyone's data moves into a kitchen of their own,
losing nothing. Tried on two demo years: back to before kitchens (the data as it was
kept then), and forward again; every count, every batch's fields and every batch's
page are as they were, for each person."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.forms.models import model_to_dict
from django.test import Client

from kefir_tracker.accounts.models import User
from kefir_tracker.batches.models import Batch, TastingNote
from kefir_tracker.demo import fill_with_demo_year, load_demo_data
from kefir_tracker.grains.models import Culture, StatusChange, Weighing
from tests.factories import make_user

BEFORE = [
    ("accounts", "0006_reminder_choices"),
    ("grains", "0004_status_changes"),
    ("batches", "0007_undo_index"),
    ("kitchens", None),
]
# What differs between any two renderings of a page: its tokens and the time it was made.
CHANGING = re.compile(
    r'name="csrfmiddlewaretoken" value="[^"]+"|"x-csrftoken": "[^"]+"|name="once" value="[^"]+"'
    r'|id="offline-banner" hidden>.*?</p>'
)


def snapshot(user):
    """What ``user`` has and sees: counts, every batch's fields, every batch's page."""
    user = User.objects.get(pk=user.pk)
    client = Client()
    client.force_login(user)
    batches = Batch.objects.for_user(user).order_by("pk")
    fields = [
        {**model_to_dict(b, exclude=["kitchen"]), **{p: getattr(b, f"{p}_id") for p in PEOPLE}}
        for b in batches
    ]
    # The page of a batch still fermenting tells the minutes since it started: its
    # fields are compared, not its page.
    pages = {
        b.pk: CHANGING.sub("", client.get(b.get_absolute_url()).text)
        for b in batches
        if b.strained_at or b.discarded
    }
    return {
        "kitchen": user.current_kitchen.name,
        "counts": [
            model.objects.for_user(user).count()
            for model in (Culture, Batch, TastingNote, Weighing, StatusChange)
        ],
        "authors": sorted(
            TastingNote.objects.for_user(user).values_list("author__username", flat=True)
        ),
        "fields": fields,
        "pages": pages,
    }


PEOPLE = ("owner", "strained_by", "bottled_by", "finished_by", "discarded_by")


@pytest.mark.django_db(transaction=True)
def test_the_demo_years_move_into_their_own_kitchens_losing_nothing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo = load_demo_data()
    vera = make_user("vera")
    fill_with_demo_year(vera, seed=8)
    before = {user.pk: snapshot(user) for user in (demo, vera)}
    assert before[demo.pk]["counts"][1] > 250  # a year of batches
    assert len(before[demo.pk]["pages"]) > 250
    assert before[demo.pk]["kitchen"] == "Demo's kitchen"

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE[:3]).apps
        OldBatch = old.get_model("batches", "Batch")
        assert OldBatch.objects.filter(owner_id=demo.pk).count() == before[demo.pk]["counts"][1]
        assert "kitchen_id" not in [f.attname for f in OldBatch._meta.concrete_fields]
    finally:
        MigrationExecutor(connection).migrate(latest)

    after = {user.pk: snapshot(user) for user in (demo, vera)}
    for user in (demo, vera):
        assert after[user.pk]["counts"] == before[user.pk]["counts"], user
        assert after[user.pk]["kitchen"] == before[user.pk]["kitchen"]
        assert after[user.pk]["authors"] == before[user.pk]["authors"]
        assert after[user.pk]["fields"] == before[user.pk]["fields"], user
        changed = [
            pk
            for pk, page in after[user.pk]["pages"].items()
            if page != before[user.pk]["pages"][pk]
        ]
        assert changed == [], user
    demo_kitchen = Batch.objects.filter(owner=demo).order_by().values_list("kitchen", flat=True)
    assert set(demo_kitchen) == {User.objects.get(pk=demo.pk).current_kitchen_id}

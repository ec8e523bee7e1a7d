"""Properties of the batch forms, through the test client, for any posted data:

either exactly one batch (or tasting) is stored and it satisfies every rule
(``full_clean`` passes again), or the answer is a 200/400 with a message and
nothing is stored or changed.

Each example runs in a savepoint that is rolled back, so examples do not see
each other's batches.
"""

from datetime import datetime, timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kefir_tracker.batches.models import Base, Batch, TastingNote
from tests.bad_input import shows_an_error, snapshot
from tests.factories import make_batch, make_culture

PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
number_text = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.decimals(min_value=-100, max_value=25_000, places=2).map(str),
    st.sampled_from(["", " ", "0", "-0", "1e308", "1,5", "½", "0x1f"]),
    text,
)
moment_text = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(
        lambda moment: moment.strftime("%Y-%m-%dT%H:%M")
    ),
    st.sampled_from(["", "2026-02-30T10:00", "now", "2026-01-01 25:00"]),
    text,
)
scale_text = st.one_of(st.integers(-2, 8).map(str), st.sampled_from(["", "1.0", "五"]), text)


def post_in_savepoint(client, url, data):
    """Post ``data``; return (response, before, after) and roll the database back."""
    with transaction.atomic():
        before = snapshot()
        response = client.post(url, data)
        after = snapshot()
        rows = list(Batch.objects.all()) + list(TastingNote.objects.all())
        problems = [row for row in rows if not passes_full_clean(row)]
        transaction.set_rollback(True)
    return response, before, after, problems


def passes_full_clean(row):
    try:
        row.full_clean()
    except Exception:
        return False
    return True


def assert_all_or_nothing(response, before, after, problems, table, added):
    assert response.status_code in (200, 302, 400)
    assert problems == [], "a stored row breaks a rule"
    if response.status_code == 302:
        assert len(after[table]) == len(before[table]) + added
        changed = {name for name in after if name != table and after[name] != before[name]}
        assert not changed, f"also changed: {changed}"
    else:
        assert after == before, "refused, but something was stored"
        assert shows_an_error(response)


@pytest.fixture
def strained(owner):
    now = timezone.now()
    culture = make_culture(owner, "Babushka")
    return make_batch(culture, started_at=now - timedelta(hours=30), strained_at=now)


@PROPERTY_SETTINGS
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "base": st.one_of(st.sampled_from(Base.values), text),
            "volume_ml": number_text,
            "grains_in_g": number_text,
            "sugar_g": number_text,
            "room_temp_c": number_text,
            "started_at": moment_text,
            "notes": text,
            "owner": st.integers().map(str),
        },
    )
)
def test_any_start_post_stores_one_valid_batch_or_nothing(owner_client, culture, data):
    url = reverse("batches:start", args=[culture.pk])
    response, before, after, problems = post_in_savepoint(owner_client, url, data)
    assert_all_or_nothing(response, before, after, problems, "Batch", added=1)


@PROPERTY_SETTINGS
@given(
    data=st.fixed_dictionaries(
        {"rating": scale_text},
        optional={
            "sourness": scale_text,
            "fizz": scale_text,
            "thickness": scale_text,
            "notes": text,
            "tasted_at": moment_text,
        },
    )
)
def test_any_tasting_post_stores_one_valid_note_or_nothing(owner_client, strained, data):
    url = reverse("batches:taste", args=[strained.pk])
    response, before, after, problems = post_in_savepoint(owner_client, url, data)
    assert_all_or_nothing(response, before, after, problems, "TastingNote", added=1)


@PROPERTY_SETTINGS
@given(
    data=st.fixed_dictionaries(
        {
            "base": st.one_of(st.just("cow"), st.sampled_from(Base.values), text),
            "volume_ml": st.one_of(st.just("500"), number_text),
            "grains_in_g": st.one_of(st.just("25"), number_text),
            "started_at": moment_text,
        },
        optional={
            "strained_at": moment_text,
            "bottled_at": moment_text,
            "finished_at": moment_text,
            "grains_out_g": number_text,
            "room_temp_c": number_text,
            "flavourings": text,
            "notes": text,
        },
    )
)
def test_any_edit_post_saves_a_valid_batch_or_changes_nothing(owner_client, strained, data):
    url = reverse("batches:edit", args=[strained.pk])
    response, before, after, problems = post_in_savepoint(owner_client, url, data)
    assert_all_or_nothing(response, before, after, problems, "Batch", added=0)

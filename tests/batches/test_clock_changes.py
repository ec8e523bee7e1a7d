"""Times typed around a clock change, in Berlin: the hour repeated on 25 Oct 2026
(03:00 CEST back to 02:00 CET) and the hour skipped on 29 Mar 2026 (02:00 CET
straight to 03:00 CEST)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from kefir_tracker.batches.models import Batch
from tests.batches.conftest import HTMX
from tests.factories import make_batch, make_culture, make_user

MILK = {"base": "cow", "volume_ml": "500", "grains_in_g": "25", "room_temp_c": "21"}
FIRST_0230 = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
SECOND_0230 = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET, an hour later


@pytest.fixture
def berliner(db):
    return make_user("berliner", time_zone="Europe/Berlin")


@pytest.fixture
def berliner_client(client, berliner):
    client.force_login(berliner)
    return client


@pytest.fixture
def oma(berliner):
    return make_culture(berliner, "Oma")


def edit_data(**fields):
    return {**MILK, "strained_at": "2026-10-25T12:00", "notes": "", **fields}


def post_edit(client, batch, headers=None, **fields):
    return client.post(
        reverse("batches:edit", args=[batch.pk]),
        edit_data(**fields),
        follow=True,
        **(headers or {}),
    )


@pytest.mark.parametrize("stored", [FIRST_0230, SECOND_0230], ids=["first", "second"])
def test_a_batch_started_in_the_repeated_hour_saves_untouched_and_keeps_its_instant(
    berliner_client, oma, stored
):
    batch = make_batch(oma, started_at=stored, strained_at=datetime(2026, 10, 25, 11, tzinfo=UTC))
    form = berliner_client.get(f"{batch.get_absolute_url()}?form=edit").content.decode()
    assert 'name="started_at" value="2026-10-25T02:30"' in form

    response = post_edit(berliner_client, batch, started_at="2026-10-25T02:30", notes="fizzy")
    page = response.content.decode()
    assert "ambiguous" not in page
    assert f"Saved batch {batch.number} of {oma.name}." in page
    batch.refresh_from_db()
    assert batch.notes == "fizzy"
    assert batch.started_at == stored
    assert "happened twice" not in page  # nothing was guessed


def test_a_time_changed_into_the_repeated_hour_takes_the_first_and_says_so(berliner_client, oma):
    batch = make_batch(
        oma,
        started_at=datetime(2026, 10, 24, 22, tzinfo=UTC),
        strained_at=datetime(2026, 10, 25, 11, tzinfo=UTC),
    )
    response = post_edit(berliner_client, batch, started_at="2026-10-25T02:15")
    batch.refresh_from_db()
    assert batch.started_at == datetime(2026, 10, 25, 0, 15, tzinfo=UTC)  # 02:15 CEST
    page = response.content.decode()
    assert (
        "Started at: 02:15 happened twice on Sun 25 Oct 2026 (the clocks went back); "
        "took the first (summer time, CEST)."
    ) in page


def test_with_htmx_the_note_comes_back_with_the_saved_batch(berliner_client, oma):
    batch = make_batch(
        oma,
        started_at=datetime(2026, 10, 24, 22, tzinfo=UTC),
        strained_at=datetime(2026, 10, 25, 11, tzinfo=UTC),
    )
    response = post_edit(
        berliner_client,
        batch,
        {**HTMX, "HTTP_HX_TARGET": "edit-form"},
        started_at="2026-10-25T00:00",
        strained_at="2026-10-25T02:40",
    )
    page = response.content.decode()
    assert "<html" not in page
    assert 'id="batch-body"' in page
    assert response.headers["HX-Reswap"] == "outerHTML show:top"  # the note, in view
    assert "Strained at: 02:40 happened twice on Sun 25 Oct 2026" in page
    batch.refresh_from_db()
    assert batch.strained_at == datetime(2026, 10, 25, 0, 40, tzinfo=UTC)


def test_the_start_form_takes_a_repeated_time_as_the_first_and_says_so(berliner_client, oma):
    response = berliner_client.post(
        reverse("batches:start", args=[oma.pk]),
        {**MILK, "started_at": "2026-10-25T02:30"},
        follow=True,
    )
    assert Batch.objects.get().started_at == FIRST_0230
    assert "Started at: 02:30 happened twice on Sun 25 Oct 2026" in response.content.decode()


def test_a_skipped_time_on_the_start_form_names_the_skipped_hour(berliner_client, oma):
    response = berliner_client.post(
        reverse("batches:start", args=[oma.pk]), {**MILK, "started_at": "2026-03-29T02:30"}
    )
    assert response.status_code == 200
    assert not Batch.objects.exists()
    page = response.content.decode()
    assert "ambiguous" not in page
    assert (
        "02:00–03:00 did not happen on Sun 29 Mar 2026 (the clocks went forward). "
        "Type 03:30 if a clock not yet put forward said 02:30, or a time before 02:00."
    ) in page
    assert 'value="2026-03-29T02:30"' in page  # what was typed stays


def test_a_skipped_time_on_the_edit_form_is_refused_and_changes_nothing(berliner_client, oma):
    started = datetime(2026, 3, 28, 20, tzinfo=UTC)
    batch = make_batch(oma, started_at=started, strained_at=datetime(2026, 3, 29, 12, tzinfo=UTC))
    response = post_edit(
        berliner_client,
        batch,
        started_at="2026-03-29T02:05",
        strained_at="2026-03-29T14:00",
        notes="changed",
    )
    page = response.content.decode()
    assert "02:00–03:00 did not happen on Sun 29 Mar 2026" in page
    assert "Type 03:05 if a clock not yet put forward said 02:05" in page
    batch.refresh_from_db()
    assert (batch.started_at, batch.notes) == (started, "")


def test_the_skipped_hour_is_named_on_the_readers_clock(client, db):
    chicagoan = make_user("chi", time_zone="America/Chicago", clock_hours="12", date_order="md")
    client.force_login(chicagoan)
    grains = make_culture(chicagoan, "Prairie")
    response = client.post(
        reverse("batches:start", args=[grains.pk]), {**MILK, "started_at": "2026-03-08T02:30"}
    )
    assert (
        "2:00\N{NO-BREAK SPACE}AM–3:00\N{NO-BREAK SPACE}AM did not happen on Sun Mar 8, 2026"
    ) in response.content.decode()


def test_an_ordinary_night_is_untouched(berliner_client, oma):
    berliner_client.post(
        reverse("batches:start", args=[oma.pk]), {**MILK, "started_at": "2026-11-01T02:30"}
    )
    assert Batch.objects.get().started_at == datetime(2026, 11, 1, 1, 30, tzinfo=UTC)
    assert Batch.objects.get().volume_ml == Decimal(500)

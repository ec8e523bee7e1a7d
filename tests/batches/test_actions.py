"""Strain, second ferment, tasting note, edit and discard: plain posts and htmx."""

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch, TastingNote
from tests.batches.conftest import HTMX, htmx_from
from tests.factories import make_batch, make_tasting


def url(name, batch):
    return reverse(f"batches:{name}", args=[batch.pk])


def local(moment):
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


@pytest.fixture
def batch(culture):
    return make_batch(culture, started_at=timezone.now() - timedelta(hours=20))


@pytest.fixture
def strained(culture):
    now = timezone.now()
    return make_batch(
        culture, started_at=now - timedelta(hours=30), strained_at=now - timedelta(hours=6)
    )


# ---- strain ----


def test_strain_from_today_is_one_tap_and_returns_to_today(owner_client, batch):
    before = timezone.now()
    response = owner_client.post(url("strain", batch), {"next": reverse("batches:today")})
    assert response.status_code == 302
    assert response.url == reverse("batches:today")
    batch.refresh_from_db()
    assert before <= batch.strained_at <= timezone.now()


def test_strain_from_today_with_htmx_swaps_only_that_card(owner_client, batch):
    response = owner_client.post(
        url("strain", batch), {"next": reverse("batches:today")}, **htmx_from(f"batch-{batch.pk}")
    )
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.strained_at is not None
    page = response.content.decode()
    assert "<html" not in page
    assert page.strip().startswith(f'<article class="card batch-card" id="batch-{batch.pk}"')
    assert "Strained" in page
    assert "How does it taste?" in page


def test_strain_with_htmx_on_the_batch_page_swaps_the_batch(owner_client, batch):
    response = owner_client.post(
        url("strain", batch), {"grains_out_g": "27.5"}, **htmx_from("batch-body")
    )
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.grains_out_g == Decimal("27.5")
    page = response.content.decode()
    assert "<html" not in page
    assert page.strip().startswith('<div id="batch-body">')
    assert "+2.5 g (+10 %)" in page


def test_strain_can_be_set_back_and_a_plain_post_goes_to_the_batch(owner_client, batch):
    earlier = (timezone.now() - timedelta(hours=2)).replace(second=0, microsecond=0)
    response = owner_client.post(url("strain", batch), {"strained_at": local(earlier)})
    assert response.status_code == 302
    assert response.url == batch.get_absolute_url()
    batch.refresh_from_db()
    assert batch.strained_at == earlier


def test_strain_refuses_a_foreign_next_url(owner_client, batch):
    response = owner_client.post(url("strain", batch), {"next": "https://evil.example/"})
    assert response.url == batch.get_absolute_url()


def test_strained_before_it_started_is_explained_next_to_the_field(owner_client, batch):
    too_early = batch.started_at - timedelta(hours=1)
    response = owner_client.post(
        url("strain", batch), {"strained_at": local(too_early), "grains_out_g": "30"}
    )
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.strained_at is None
    assert batch.grains_out_g is None
    page = response.content.decode()
    assert "Strained time cannot be before the start." in page
    assert 'name="grains_out_g" value="30"' in page


def test_strain_error_with_htmx_returns_the_form_to_its_place(owner_client, batch):
    future = timezone.now() + timedelta(hours=3)
    response = owner_client.post(
        url("strain", batch), {"strained_at": local(future)}, **htmx_from("batch-body")
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#strain-form"
    assert "That time is in the future." in response.content.decode()
    batch.refresh_from_db()
    assert batch.strained_at is None


def test_a_second_strain_says_it_was_already_strained(owner_client, strained):
    response = owner_client.post(url("strain", strained), **htmx_from(f"batch-{strained.pk}"))
    assert response.status_code == 200
    assert "already strained" in response.content.decode()
    assert b"<html" not in response.content


def test_a_plain_second_strain_shows_the_message_on_the_batch_page(owner_client, strained):
    response = owner_client.post(url("strain", strained))
    assert response.status_code == 200
    assert "already strained" in response.content.decode()


# ---- second ferment ----


def test_bottling_then_finishing_a_second_ferment(owner_client, strained):
    response = owner_client.post(url("bottle", strained), {"flavourings": "ginger, lemon"})
    assert response.status_code == 302
    strained.refresh_from_db()
    assert strained.flavourings == "ginger, lemon"
    assert strained.bottled_at is not None
    assert strained.status == "second_ferment"

    response = owner_client.post(url("finish", strained), **HTMX)
    assert response.status_code == 200
    strained.refresh_from_db()
    assert strained.finished_at is not None
    assert strained.status == "done"
    assert b"Bottled for a second ferment with ginger, lemon" in response.content


def test_a_fermenting_batch_cannot_be_bottled(owner_client, batch):
    response = owner_client.post(url("bottle", batch), {"flavourings": "fig"})
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.bottled_at is None
    assert batch.flavourings == ""
    assert "Strain the batch before bottling it." in response.content.decode()


def test_bottled_before_it_was_strained_is_refused(owner_client, strained):
    response = owner_client.post(
        url("bottle", strained), {"bottled_at": local(strained.strained_at - timedelta(hours=1))}
    )
    assert response.status_code == 200
    strained.refresh_from_db()
    assert strained.bottled_at is None
    assert "Bottling comes after straining." in response.content.decode()


# ---- tasting notes ----


def test_a_tasting_note_is_added(owner_client, strained):
    data = {"rating": "4", "sourness": "3", "fizz": "", "thickness": "5", "notes": "thick, mild"}
    response = owner_client.post(url("taste", strained), data)
    assert response.status_code == 302
    note = TastingNote.objects.get()
    assert (note.batch, note.rating, note.sourness, note.fizz, note.thickness) == (
        strained,
        4,
        3,
        None,
        5,
    )
    assert note.notes == "thick, mild"


def test_a_tasting_note_with_htmx_shows_up_in_the_batch(owner_client, strained):
    response = owner_client.post(
        url("taste", strained), {"rating": "5", "notes": "best yet"}, **htmx_from("batch-body")
    )
    assert response.status_code == 200
    assert TastingNote.objects.count() == 1
    page = response.content.decode()
    assert "<html" not in page
    assert "best yet" in page
    assert "Tasted: 5/5" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"notes": "forgot the stars"}, "Pick a rating from 1 to 5."),
        ({"rating": "9"}, "Select a valid choice"),
        ({"rating": "3", "fizz": "0"}, "Select a valid choice"),
    ],
)
def test_a_bad_tasting_note_is_not_saved(owner_client, strained, data, message):
    response = owner_client.post(url("taste", strained), data, **htmx_from("batch-body"))
    assert response.status_code == 200
    assert not TastingNote.objects.exists()
    assert response["HX-Retarget"] == "#taste-form"
    assert message in response.content.decode()


def test_a_tasting_before_the_batch_started_is_refused(owner_client, strained):
    response = owner_client.post(
        url("taste", strained),
        {"rating": "3", "tasted_at": local(strained.started_at - timedelta(days=1))},
    )
    assert response.status_code == 200
    assert not TastingNote.objects.exists()
    assert "It cannot be tasted before it was started." in response.content.decode()


# ---- edit ----


def edit_data(batch, **changes):
    data = {
        "base": batch.base,
        "volume_ml": str(batch.volume_ml),
        "grains_in_g": str(batch.grains_in_g),
        "room_temp_c": "22",
        "started_at": local(batch.started_at),
        "strained_at": local(batch.strained_at) if batch.strained_at else "",
        "grains_out_g": "",
        "flavourings": "",
        "bottled_at": "",
        "finished_at": "",
        "notes": "",
    }
    return {**data, **changes}


def test_editing_changes_the_batch(owner_client, strained):
    response = owner_client.post(
        url("edit", strained), edit_data(strained, base="goat", volume_ml="1000", notes="goat!")
    )
    assert response.status_code == 302
    strained.refresh_from_db()
    assert (strained.base, strained.volume_ml, strained.notes) == ("goat", 1000, "goat!")


def test_editing_with_htmx_swaps_the_batch(owner_client, strained):
    response = owner_client.post(
        url("edit", strained), edit_data(strained, notes="edited"), **htmx_from("batch-body")
    )
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"edited" in response.content


def test_an_edit_that_strains_before_the_start_is_refused(owner_client, strained):
    data = edit_data(strained, strained_at=local(strained.started_at - timedelta(hours=3)))
    response = owner_client.post(url("edit", strained), {**data, "notes": "keep me"})
    assert response.status_code == 200
    strained.refresh_from_db()
    assert strained.notes == ""
    page = response.content.decode()
    assert "Strained time cannot be before the start." in page
    assert "keep me" in page


def test_an_edit_cannot_bottle_an_unstrained_batch(owner_client, batch):
    data = edit_data(batch, bottled_at=local(timezone.now()))
    response = owner_client.post(url("edit", batch), data, **htmx_from("batch-body"))
    assert response["HX-Retarget"] == "#edit-form"
    assert "Bottling comes after straining." in response.content.decode()
    batch.refresh_from_db()
    assert batch.bottled_at is None


def test_clearing_the_strain_time_puts_a_batch_back_to_fermenting(owner_client, strained):
    owner_client.post(url("edit", strained), edit_data(strained, strained_at=""))
    strained.refresh_from_db()
    assert strained.strained_at is None


# ---- discard and delete ----


def test_discarding_needs_a_reason(owner_client, batch):
    response = owner_client.post(url("discard", batch), {"reason": ""})
    assert response.status_code == 200
    batch.refresh_from_db()
    assert not batch.discarded
    assert "Say why" in response.content.decode()


def test_discarding_keeps_the_batch_with_its_reason(owner_client, batch):
    response = owner_client.post(url("discard", batch), {"reason": "pink mould"}, **HTMX)
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.discarded
    assert batch.discard_reason == "pink mould"
    assert b"Discarded: pink mould" in response.content


def test_delete_asks_first_on_its_own_page(owner_client, strained):
    make_tasting(strained)
    response = owner_client.get(url("delete", strained))
    assert response.status_code == 200
    assert b"Delete this batch?" in response.content
    assert b"its 1 tasting note" in response.content
    assert Batch.objects.exists()


def test_the_delete_question_is_a_fragment_for_htmx(owner_client, batch):
    response = owner_client.get(url("delete", batch), **HTMX)
    assert b"<html" not in response.content
    assert b"Delete this batch?" in response.content


def test_deleting_removes_the_batch_and_its_tastings(owner_client, strained):
    make_tasting(strained)
    response = owner_client.post(url("delete", strained))
    assert response.status_code == 302
    assert response.url == reverse("batches:history")
    assert not Batch.objects.exists()
    assert not TastingNote.objects.exists()


def test_deleting_with_htmx_sends_the_browser_to_history(owner_client, batch):
    response = owner_client.post(url("delete", batch), **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("batches:history")
    assert not Batch.objects.exists()


def test_the_delete_button_asks_with_hx_confirm(owner_client, batch):
    page = owner_client.get(batch.get_absolute_url()).content.decode()
    assert f'hx-post="{url("delete", batch)}"' in page
    assert 'hx-confirm="Delete batch' in page
    assert f'href="{url("delete", batch)}"' in page


# ---- everyone else ----

ACTIONS = ["strain", "bottle", "finish", "taste", "edit", "discard", "delete"]


@pytest.mark.parametrize("action", ACTIONS)
def test_another_users_batch_is_not_found(other_client, batch, action):
    response = other_client.post(url(action, batch), {"rating": "5", "reason": "x"})
    assert response.status_code == 404
    batch.refresh_from_db()
    assert batch.strained_at is None
    assert not batch.discarded
    assert not TastingNote.objects.exists()


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_requires_sign_in(client, batch, action):
    response = client.post(url(action, batch), {"rating": "5", "reason": "x"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert Batch.objects.filter(pk=batch.pk, strained_at=None, discarded=False).exists()


@pytest.mark.parametrize("action", ["strain", "bottle", "finish", "taste", "edit", "discard"])
def test_actions_need_a_post(owner_client, batch, action):
    assert owner_client.get(url(action, batch)).status_code == 405


def edit_form_as_shown(client, batch):
    """The edit form's fields as the page fills them in (what a person sends back untouched)."""
    page = client.get(f"{url('detail', batch)}?form=edit").text
    form = page[page.index('id="edit-form"') : page.index("</form>", page.index('id="edit-form"'))]
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form))
    fields["base"] = re.search(r'<option value="(\w+)" selected', form).group(1)
    return {name: html.unescape(value) for name, value in fields.items()}


def test_saving_an_edit_untouched_but_for_the_notes_keeps_every_time_to_the_microsecond(
    owner_client, culture
):
    started = timezone.now().replace(microsecond=123456) - timedelta(hours=30, seconds=17)
    batch = make_batch(
        culture, started_at=started, strained_at=started + timedelta(hours=22, seconds=41)
    )
    before = Batch.objects.values("started_at", "strained_at", "volume_ml").get(pk=batch.pk)

    fields = edit_form_as_shown(owner_client, batch)
    assert fields["started_at"] == local(started)  # shown to the minute
    response = owner_client.post(url("edit", batch), {**fields, "notes": "only the notes"})

    assert response.status_code == 302
    after = Batch.objects.values("started_at", "strained_at", "volume_ml", "notes").get(pk=batch.pk)
    assert after.pop("notes") == "only the notes"
    assert after == before


def test_a_time_changed_in_the_edit_form_is_saved_as_typed(owner_client, strained):
    fields = edit_form_as_shown(owner_client, strained)
    earlier = strained.started_at - timedelta(hours=2)
    response = owner_client.post(url("edit", strained), {**fields, "started_at": local(earlier)})

    assert response.status_code == 302
    strained.refresh_from_db()
    assert strained.started_at == earlier.replace(second=0, microsecond=0)


def test_a_discarded_batch_stops_its_clock_and_says_when_on_the_timeline(owner_client, batch):
    response = owner_client.post(url("discard", batch), {"reason": "pink mould"})
    assert response.status_code == 302

    page = owner_client.get(batch.get_absolute_url()).text
    row = owner_client.get(reverse("batches:history")).text

    assert "so far" not in row
    assert "20 h" in row  # started 20 h before it was thrown away
    assert "<dd>20 h</dd>" in page
    timeline = page[page.index('class="timeline"') :]
    assert "Discarded: pink mould" in timeline[: timeline.index("</ol>")]

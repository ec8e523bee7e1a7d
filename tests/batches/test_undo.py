"""A stray tap on Strain, Bottle, Finish or Discard can be taken back for ten minutes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch
from tests.batches.conftest import htmx_from
from tests.factories import make_batch, make_user

TODAY = {"next": "/"}


def url(name, batch):
    return reverse(f"batches:{name}", args=[batch.pk])


@pytest.fixture
def batch(culture):
    return make_batch(culture, started_at=timezone.now() - timedelta(hours=20))


def test_strain_from_today_then_undo_puts_the_batch_back_to_fermenting(owner_client, batch):
    owner_client.post(url("strain", batch), TODAY)
    today = owner_client.get("/").content.decode()
    assert url("undo", batch) in today  # the card stays for a while, with Undo
    assert "Strained by mistake?" in today

    response = owner_client.post(url("undo", batch), TODAY)

    assert response.status_code == 302
    assert response.url == "/"
    batch.refresh_from_db()
    assert (batch.strained_at, batch.grains_out_g) == (None, None)
    today = owner_client.get("/").content.decode()
    assert "Took back the last change to batch 1 of Babushka." in today
    assert url("strain", batch) in today  # fermenting again, with its Strain button
    assert url("undo", batch) not in today


def test_undo_with_htmx_swaps_the_card_back_to_fermenting(owner_client, batch):
    strained = owner_client.post(url("strain", batch), TODAY, **htmx_from(f"batch-{batch.pk}"))
    assert url("undo", batch) in strained.content.decode()

    response = owner_client.post(url("undo", batch), TODAY, **htmx_from(f"batch-{batch.pk}"))

    card = response.content.decode()
    assert card.strip().startswith(f'<article class="card batch-card" id="batch-{batch.pk}"')
    assert url("strain", batch) in card
    assert Batch.objects.get(pk=batch.pk).strained_at is None


def test_undo_a_discard_restarts_the_clock_and_clears_the_reason(owner_client, batch):
    owner_client.post(url("discard", batch), {"reason": "thought it was mould"})
    page = owner_client.get(batch.get_absolute_url()).content.decode()
    assert "Discarded at " in page

    owner_client.post(url("undo", batch))

    batch.refresh_from_db()
    assert (batch.discarded, batch.discarded_at, batch.discard_reason) == (False, None, "")
    assert batch.status == "fermenting"


def test_undo_a_bottling_keeps_the_strain(owner_client, culture):
    strained_at = timezone.now() - timedelta(hours=2)
    batch = make_batch(
        culture, started_at=strained_at - timedelta(hours=20), strained_at=strained_at
    )
    owner_client.post(url("bottle", batch), {"flavourings": "ginger"})
    owner_client.post(url("undo", batch))
    batch.refresh_from_db()
    assert (batch.bottled_at, batch.flavourings, batch.strained_at) == (None, "", strained_at)


def test_an_old_change_offers_no_undo_and_is_not_undone(owner_client, batch):
    owner_client.post(url("strain", batch), TODAY)
    Batch.objects.update(last_action_at=timezone.now() - timedelta(minutes=11))

    assert url("undo", batch) not in owner_client.get(batch.get_absolute_url()).content.decode()
    response = owner_client.post(url("undo", batch))

    assert response.status_code == 200
    assert "There is nothing recent to undo on this batch." in response.content.decode()
    assert Batch.objects.get(pk=batch.pk).strained_at is not None


def test_undo_a_strain_is_refused_when_the_grains_started_another_batch(
    owner_client, culture, batch
):
    owner_client.post(url("strain", batch), TODAY)
    start = reverse("batches:start", args=[culture.pk])
    owner_client.post(start, {"base": "cow", "volume_ml": "500", "grains_in_g": "25"})

    response = owner_client.post(url("undo", batch))

    assert "Babushka started batch #2 since, so this one cannot ferment again" in response.text
    assert Batch.objects.get(pk=batch.pk).strained_at is not None
    assert Batch.objects.filter(culture=culture, strained_at__isnull=True).count() == 1


def test_an_edit_after_the_strain_ends_its_undo(owner_client, batch):
    owner_client.post(url("strain", batch), TODAY)
    batch.refresh_from_db()
    page = owner_client.get(f"{batch.get_absolute_url()}?form=edit").content.decode()
    fields = {
        "base": "cow",
        "volume_ml": "500",
        "grains_in_g": "25",
        "started_at": f"{timezone.localtime(batch.started_at):%Y-%m-%dT%H:%M}",
        "strained_at": f"{timezone.localtime(batch.strained_at):%Y-%m-%dT%H:%M}",
        "notes": "edited",
    }
    assert "Save changes" in page
    owner_client.post(url("edit", batch), fields)
    assert url("undo", batch) not in owner_client.get(batch.get_absolute_url()).content.decode()
    owner_client.post(url("undo", batch))
    assert Batch.objects.get(pk=batch.pk).strained_at is not None


def test_nobody_else_can_undo(owner_client, client, batch):
    owner_client.post(url("strain", batch), TODAY)
    client.force_login(make_user("mallory"))
    assert client.post(url("undo", batch)).status_code == 404
    assert Batch.objects.get(pk=batch.pk).strained_at is not None

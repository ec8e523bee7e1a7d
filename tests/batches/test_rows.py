"""Rows of History and a culture's batches show every change to what they show."""

import re
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests.factories import make_batch, make_tasting

HISTORY = reverse("batches:history")


def row(client, batch, url=HISTORY):
    page = client.get(url).content.decode()
    start = page.rindex("<li", 0, page.index(f'id="row-{batch.pk}"'))
    return page[start : page.index("</li>", start)]


def test_a_row_shows_every_change_to_what_it_shows(owner_client, owner, culture):
    earlier = make_batch(
        culture,
        started_at=timezone.now() - timedelta(days=3),
        strained_at=timezone.now() - timedelta(days=2),
    )
    batch = make_batch(culture, started_at=timezone.now() - timedelta(hours=5))
    first = row(owner_client, batch)
    assert "Babushka" in first
    assert "#2" in first
    assert "500 ml" in first
    assert "not rated" in first
    assert "fermenting" in first

    culture.name = "Babushka II"
    culture.save()
    assert "Babushka II" in row(owner_client, batch)

    batch.strained_at = timezone.now()
    batch.volume_ml = Decimal(750)
    batch.base = "goat"
    batch.save()
    strained = row(owner_client, batch)
    assert "fermenting" not in strained
    assert "so far" not in strained
    assert "750 ml" in strained
    assert "goat milk" in strained

    make_tasting(batch, rating=4)
    assert "★</span> 4" in row(owner_client, batch)

    batch.bottled_at = timezone.now()
    batch.save()
    assert "in second ferment" in row(owner_client, batch)

    earlier.delete()
    assert "#2" in row(owner_client, batch)  # the number on the jar stays

    owner.volume_unit = "cup"
    owner.time_zone = "Asia/Tokyo"
    owner.save()
    for_reader = row(owner_client, batch)
    assert "cups" in for_reader
    assert re.search(r'datetime="[^"]+\+09:00"', for_reader)

    batch.discarded = True
    batch.discard_reason = "mould"
    batch.save()
    assert "is-discarded" in row(owner_client, batch)
    assert "is-discarded" in row(owner_client, batch, culture.get_absolute_url())


def test_a_fermenting_row_shows_the_time_so_far_as_it_grows(owner_client, culture):
    batch = make_batch(culture, started_at=timezone.now() - timedelta(hours=5))
    assert "5 h so far" in row(owner_client, batch)
    batch.started_at = timezone.now() - timedelta(hours=7)
    batch.save()
    assert "7 h so far" in row(owner_client, batch)


def test_the_same_batch_is_shown_alike_on_history_and_on_its_grains_page(owner_client, culture):
    batch = make_batch(culture, strained_at=timezone.now())
    assert row(owner_client, batch) == row(owner_client, batch, culture.get_absolute_url())

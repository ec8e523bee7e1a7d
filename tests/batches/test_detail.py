import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.batches.conftest import HTMX
from tests.factories import make_batch, make_culture, make_tasting


def test_it_shows_every_field_the_timeline_and_the_tastings(owner_client, culture):
    now = timezone.now()
    batch = make_batch(
        culture,
        base="goat",
        volume_ml=Decimal(750),
        grains_in_g=Decimal(20),
        grains_out_g=Decimal(23),
        room_temp_c=Decimal("23.5"),
        started_at=now - timedelta(days=2),
        strained_at=now - timedelta(days=1),
        bottled_at=now - timedelta(hours=20),
        finished_at=now - timedelta(hours=8),
        flavourings="ginger",
        notes="from the farm shop",
    )
    make_tasting(
        batch,
        tasted_at=now - timedelta(hours=2),
        rating=5,
        sourness=2,
        fizz=4,
        thickness=3,
        notes="lovely fizz",
    )
    response = owner_client.get(batch.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page
    for text in [
        "goat milk",
        "750 ml",
        "20 g",
        "23 g",
        "+3 g (+15 %)",
        "23.5 °C",
        "1 d",
        "ginger",
        "from the farm shop",
        "sourness 2/5",
        "fizz 4/5",
        "thickness 3/5",
        "lovely fizz",
        "★ 5/5",
    ]:
        assert text in page, text
    timeline = page[page.index('class="timeline"') :]
    order = ["Started", "Strained", "Bottled for a second ferment with ginger", "Tasted: 5/5"]
    positions = [timeline.index(event) for event in order]
    assert positions == sorted(positions)
    assert "Second ferment finished" in timeline
    assert f'href="{culture.get_absolute_url()}"' in page


def test_the_batch_number_counts_earlier_batches_of_the_same_grains(owner_client, culture, water):
    now = timezone.now()
    make_batch(culture, started_at=now - timedelta(days=5))
    make_batch(water, started_at=now - timedelta(days=4))
    third = make_batch(culture, started_at=now - timedelta(days=3))
    make_batch(culture, started_at=now - timedelta(days=1))  # later batches do not renumber it
    page = owner_client.get(third.get_absolute_url()).content.decode()
    assert "Batch 2 of" in page
    assert "<title>Batch 2 of Babushka · Kefir Tracker</title>" in page


def test_an_htmx_request_gets_the_batch_without_the_page(owner_client, culture):
    batch = make_batch(culture)
    response = owner_client.get(batch.get_absolute_url(), **HTMX)
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert response.content.strip().startswith(b'<div id="batch-body">')


def test_a_fermenting_batch_offers_strain_and_not_bottling(owner_client, culture):
    # The guides: milk kefir takes about 24 h at 22 °C with 30 g of grains per 500 ml.
    batch = make_batch(
        culture, started_at=timezone.now() - timedelta(hours=20), grains_in_g=30, volume_ml=500
    )
    page = owner_client.get(batch.get_absolute_url()).content.decode()
    ready = timezone.localtime(batch.started_at + timedelta(hours=24))
    assert re.search(rf"ready ≈\s*<strong>(\w+ )?{ready:%H:%M}</strong>", page)
    low, high = re.search(r"Usually (\d+)–(\d+) h, from the kefir guides\.", page).groups()
    assert int(low) < 24 < int(high)
    assert 'id="strain-form"' in page
    assert 'id="bottle-action"' not in page
    assert 'id="taste-action"' in page  # folded, loaded when opened


def test_a_strained_batch_offers_bottling_and_a_tasting_note(owner_client, culture):
    batch = make_batch(culture, strained_at=timezone.now())
    page = owner_client.get(batch.get_absolute_url()).content.decode()
    assert 'id="strain-form"' not in page
    assert 'id="bottle-action"' in page
    assert '<details class="inline-form" id="taste-action" open>' in page
    assert 'id="taste-form"' in page  # open, so rendered with the page


def test_another_users_batch_is_not_found(other_client, culture):
    batch = make_batch(culture)
    assert other_client.get(batch.get_absolute_url()).status_code == 404


def test_a_missing_batch_is_not_found(owner_client):
    assert owner_client.get(reverse("batches:detail", args=[999])).status_code == 404


def test_it_requires_sign_in(client, culture):
    batch = make_batch(culture)
    response = client.get(batch.get_absolute_url())
    assert response.status_code == 302


@pytest.mark.parametrize("form", ["bottle", "edit", "discard"])
def test_folded_forms_are_linked_and_open_by_link_without_javascript(owner_client, culture, form):
    batch = make_batch(culture, strained_at=timezone.now())
    url = batch.get_absolute_url()
    page = owner_client.get(url).content.decode()
    assert f'id="{form}-form"' not in page
    assert f'href="{url}?form={form}#{form}-action"' in page

    opened = owner_client.get(f"{url}?form={form}")
    assert opened.status_code == 200
    html = opened.content.decode()
    assert f'id="{form}-action" open>' in html
    assert f'id="{form}-form"' in html


@pytest.mark.parametrize("form", ["taste", "bottle", "edit", "discard"])
def test_with_htmx_a_folded_form_is_fetched_alone(owner_client, culture, form):
    batch = make_batch(culture, strained_at=timezone.now())
    response = owner_client.get(f"{batch.get_absolute_url()}?form={form}", **HTMX)
    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith(f'<form id="{form}-form"')
    assert "<html" not in html


def test_an_unknown_form_or_someone_elses_batch_is_not_found(owner_client, other_user, culture):
    batch = make_batch(culture)
    theirs = make_batch(make_culture(other_user, "Theirs"))
    assert owner_client.get(f"{batch.get_absolute_url()}?form=strain2").status_code == 404
    assert owner_client.get(f"{theirs.get_absolute_url()}?form=edit").status_code == 404
    assert owner_client.get(f"{theirs.get_absolute_url()}?form=edit", **HTMX).status_code == 404


def test_a_batch_from_another_year_names_the_year_where_it_is_deleted(owner_client, culture):
    started = timezone.now() - timedelta(days=400)
    batch = make_batch(culture, started_at=started, strained_at=started + timedelta(hours=20))
    year = timezone.localtime(started).year

    confirm = owner_client.get(reverse("batches:delete", args=[batch.pk])).text
    page = owner_client.get(batch.get_absolute_url()).text

    assert f"{year}, " in confirm.split("started ")[1][:40]
    assert f"{year}, " in page.split('class="timeline"')[1][:300]

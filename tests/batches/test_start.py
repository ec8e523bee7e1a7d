import zoneinfo
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch
from tests.batches.conftest import HTMX
from tests.factories import make_culture, make_user


def start_url(culture):
    return reverse("batches:start", args=[culture.pk])


MILK = {"base": "cow", "volume_ml": "500", "grains_in_g": "25", "room_temp_c": "21"}


def test_starting_a_batch_saves_it_and_redirects_to_today(owner_client, owner, culture):
    before = timezone.now()
    response = owner_client.post(start_url(culture), MILK)
    assert response.status_code == 302
    assert response.url == reverse("batches:today")
    batch = Batch.objects.get()
    assert (batch.owner, batch.culture, batch.base) == (owner, culture, "cow")
    assert (batch.volume_ml, batch.grains_in_g, batch.room_temp_c) == (500, 25, 21)
    assert batch.sugar_g is None
    assert before <= batch.started_at <= timezone.now()  # empty start time means now
    assert batch.strained_at is None


def test_with_htmx_it_answers_with_todays_body_holding_the_new_batch(owner_client, culture):
    response = owner_client.post(start_url(culture), MILK, **HTMX)
    assert response.status_code == 200
    batch = Batch.objects.get()
    assert b"<html" not in response.content
    assert b'id="today-body"' in response.content
    assert f'id="batch-{batch.pk}"'.encode() in response.content


def test_the_start_can_be_set_back_in_the_users_time_zone(client, db):
    user = make_user("berliner", time_zone="Europe/Berlin")
    culture = make_culture(user, "Oma")
    client.force_login(user)
    last_night = timezone.localtime(timezone=zoneinfo.ZoneInfo("Europe/Berlin")) - timedelta(days=1)
    typed = last_night.replace(hour=22, minute=0, second=0, microsecond=0)
    response = client.post(start_url(culture), {**MILK, "started_at": f"{typed:%Y-%m-%dT%H:%M}"})
    assert response.status_code == 302
    stored = Batch.objects.get().started_at
    assert stored == typed
    assert stored.astimezone(zoneinfo.ZoneInfo("UTC")).hour in (20, 21)  # CET or CEST


def test_water_grains_start_a_sugar_water_batch_with_sugar(owner_client, water):
    response = owner_client.post(
        start_url(water),
        {"base": "water", "volume_ml": "1000", "grains_in_g": "50", "sugar_g": "55"},
    )
    assert response.status_code == 302
    assert Batch.objects.get().sugar_g == Decimal(55)


def test_water_kefir_without_sugar_is_sent_back(owner_client, water):
    response = owner_client.post(
        start_url(water), {"base": "water", "volume_ml": "1000", "grains_in_g": "50"}
    )
    assert response.status_code == 200
    assert not Batch.objects.exists()
    assert "Water kefir needs sugar." in response.content.decode()


def test_a_negative_volume_comes_back_in_place_with_everything_typed(owner_client, culture):
    data = {**MILK, "volume_ml": "-5", "notes": "raw milk from the farm"}
    response = owner_client.post(start_url(culture), data)
    assert response.status_code == 200
    assert not Batch.objects.exists()
    page = response.content.decode()
    assert "<html" in page
    assert "Volume must be more than 0 ml." in page
    assert 'name="volume_ml" value="-5"' in page
    assert "raw milk from the farm" in page
    assert f'id="start-{culture.pk}"' in page
    assert '<details class="start-fold" open>' in page


def test_with_htmx_an_error_sends_only_the_form_back_into_its_place(owner_client, culture):
    response = owner_client.post(start_url(culture), {**MILK, "volume_ml": "lots"}, **HTMX)
    assert response.status_code == 200
    assert not Batch.objects.exists()
    assert response["HX-Retarget"] == f"#start-{culture.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    page = response.content.decode()
    assert "<html" not in page
    assert page.strip().startswith(f'<form id="start-{culture.pk}"')
    assert "Enter a number, like 500 or 1.5." in page
    assert 'value="lots"' in page


def test_a_start_in_the_future_is_refused(owner_client, culture):
    tomorrow = timezone.localtime() + timedelta(days=1)
    response = owner_client.post(
        start_url(culture), {**MILK, "started_at": f"{tomorrow:%Y-%m-%dT%H:%M}"}
    )
    assert response.status_code == 200
    assert not Batch.objects.exists()
    assert "That time is in the future." in response.content.decode()
    assert '<details class="more" open>' in response.content.decode()


def test_milk_grains_cannot_ferment_sugar_water(owner_client, culture):
    response = owner_client.post(start_url(culture), {**MILK, "base": "water", "sugar_g": "50"})
    assert response.status_code == 200
    assert not Batch.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_a_comma_works_as_the_decimal_point(owner_client, culture):
    owner_client.post(start_url(culture), {**MILK, "grains_in_g": "22,5"})
    assert Batch.objects.get().grains_in_g == Decimal("22.5")


def test_too_much_milk_is_refused_with_the_limit(owner_client, culture):
    response = owner_client.post(start_url(culture), {**MILK, "volume_ml": "25000"})
    assert not Batch.objects.exists()
    assert "Volume must be at most 20000 ml." in response.content.decode()


def test_given_away_grains_cannot_start_a_batch(owner_client, owner):
    gone = make_culture(owner, "Gift to Anna", status="given_away")
    response = owner_client.post(start_url(gone), MILK)
    assert response.status_code == 200
    assert not Batch.objects.exists()
    assert "only active or resting grains can start a batch" in response.content.decode()


def test_another_users_grains_are_not_found(other_client, culture):
    response = other_client.post(start_url(culture), MILK)
    assert response.status_code == 404
    assert not Batch.objects.exists()


def test_starting_needs_a_post(owner_client, culture):
    assert owner_client.get(start_url(culture)).status_code == 405


def test_it_requires_sign_in(client, culture):
    response = client.post(start_url(culture), MILK)
    assert response.status_code == 302
    assert not Batch.objects.exists()


def test_the_stored_start_is_an_aware_utc_time(owner_client, culture):
    typed = datetime(2026, 1, 5, 7, 30)
    owner_client.post(start_url(culture), {**MILK, "started_at": f"{typed:%Y-%m-%dT%H:%M}"})
    assert Batch.objects.get().started_at == typed.replace(tzinfo=zoneinfo.ZoneInfo("UTC"))


# ---- one colony, one jar ----


def test_starting_grains_that_are_fermenting_is_refused_naming_the_running_batch(
    owner_client, culture
):
    from tests.factories import make_batch

    running = make_batch(culture, started_at=timezone.now() - timedelta(hours=5))
    response = owner_client.post(start_url(culture), {**MILK, "base": "goat", "notes": "2nd jar"})

    assert response.status_code == 200
    assert f"are fermenting batch #{running.number}" in response.text
    assert "Strain it first, or split the grains" in response.text
    assert 'value="goat" selected' in response.text  # what was typed is kept
    assert "2nd jar" in response.text
    assert list(Batch.objects.values_list("pk", flat=True)) == [running.pk]


def test_today_offers_no_second_start_while_grains_ferment(owner_client, culture):
    from tests.factories import make_batch

    running = make_batch(culture)
    today = owner_client.get(reverse("batches:today")).text
    card = today[today.index(f'id="culture-{culture.pk}"') :]
    card = card[: card.index("</article>")]

    link = f'href="{running.get_absolute_url()}"><span class="visually-hidden">Babushka </span>'
    assert f"{link}#{running.number}</a> now" in card
    assert "Start batch" not in card
    assert "split the grains" in card


def test_the_database_holds_one_fermenting_batch_per_culture(culture):
    from django.db import IntegrityError, transaction

    from tests.factories import make_batch

    make_batch(culture)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_batch(culture, strained_at=None)

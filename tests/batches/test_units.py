"""A user who thinks in cups and °F sees and types cups and °F; the database keeps ml and °C."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch
from tests.factories import make_batch, make_culture, make_user


@pytest.fixture
def american(db):
    return make_user("ellie", volume_unit="cup", temperature_unit="F")


@pytest.fixture
def american_client(client, american):
    client.force_login(american)
    return client


@pytest.fixture
def grains(american):
    return make_culture(american, "Prairie")


def test_the_start_form_asks_in_cups_and_fahrenheit_and_stores_ml_and_celsius(
    american_client, grains
):
    response = american_client.post(
        reverse("batches:start", args=[grains.pk]),
        {"base": "cow", "volume_ml": "2", "grains_in_g": "20", "room_temp_c": "68"},
    )
    assert response.status_code == 302
    batch = Batch.objects.get()
    assert batch.volume_ml == Decimal("473.2")  # 2 US cups
    assert batch.room_temp_c == Decimal("20.0")  # 68 °F


def test_pages_show_cups_and_fahrenheit(american_client, grains):
    batch = make_batch(
        grains, volume_ml=Decimal("473.2"), room_temp_c=Decimal(20), strained_at=timezone.now()
    )
    detail = american_client.get(f"{batch.get_absolute_url()}?form=edit").content.decode()
    assert "2 cups" in detail
    assert "68 °F" in detail
    assert "Volume (cups)" in detail
    assert "Room temperature (°F)" in detail
    assert 'name="volume_ml" value="2"' in detail
    assert 'name="room_temp_c" value="68"' in detail
    assert "2 cups" in american_client.get(reverse("batches:history")).content.decode()
    today = american_client.get(f"{reverse('batches:today')}?start={grains.pk}").content.decode()
    assert 'name="volume_ml" value="2"' in today  # the next batch, pre-filled in cups


def test_what_the_ready_time_is_based_on_is_said_in_fahrenheit(american_client, grains):
    for days, celsius in ((9, 20), (7, 22), (5, 24)):
        make_batch(
            grains,
            room_temp_c=Decimal(celsius),
            started_at=timezone.now() - timedelta(days=days),
            strained_at=timezone.now() - timedelta(days=days, hours=-20),
        )
    make_batch(grains, room_temp_c=Decimal(22), started_at=timezone.now() - timedelta(hours=1))
    page = american_client.get(reverse("batches:today")).content.decode()
    assert "from your 3 batches of cow milk at 68–75 °F" in page


def test_errors_name_the_users_unit(american_client, grains):
    response = american_client.post(
        reverse("batches:start", args=[grains.pk]),
        {"base": "cow", "volume_ml": "100", "grains_in_g": "20", "room_temp_c": "200"},
    )
    page = response.content.decode()
    assert not Batch.objects.exists()
    assert "Volume must be at most 84½ cups." in page
    assert "Room temperature must be at most 122 °F." in page


def test_saving_an_untouched_edit_keeps_the_stored_millilitres_exactly(american_client, grains):
    batch = make_batch(grains, volume_ml=Decimal(500), room_temp_c=Decimal("21.3"))
    started = timezone.localtime(batch.started_at)
    response = american_client.post(
        reverse("batches:edit", args=[batch.pk]),
        {
            "base": "cow",
            "volume_ml": "2",  # 500 ml as shown in cups
            "grains_in_g": "25",
            "room_temp_c": "70",  # 21.3 °C as shown
            "started_at": f"{started:%Y-%m-%dT%H:%M}",
            "notes": "only the note changed",
        },
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.volume_ml == Decimal(500)
    assert batch.room_temp_c == Decimal("21.3")
    assert batch.notes == "only the note changed"


def test_cups_read_as_a_measuring_cup_shows_them_on_the_page_and_in_the_edit_field(
    american_client, grains
):
    batch = make_batch(grains, volume_ml=Decimal(355), strained_at=timezone.now())
    page = american_client.get(f"{batch.get_absolute_url()}?form=edit").content.decode()
    assert "1½ cups" in page
    assert 'name="volume_ml" value="1½"' in page
    history = american_client.get(reverse("batches:history")).content.decode()
    assert "1½ cups" in history
    assert "1.5 cups" not in history


def test_500_ml_reads_2_cups_not_2_11(american_client, grains):
    batch = make_batch(grains, volume_ml=Decimal(500), strained_at=timezone.now())
    page = american_client.get(f"{batch.get_absolute_url()}?form=edit").content.decode()
    assert "2 cups" in page
    assert "2.11" not in page
    assert 'name="volume_ml" value="2"' in page


@pytest.mark.parametrize("typed", ["1½", "1 1/2", "1.5", "1,5"])
def test_cups_can_be_typed_as_a_fraction_or_a_decimal(american_client, grains, typed):
    response = american_client.post(
        reverse("batches:start", args=[grains.pk]),
        {"base": "cow", "volume_ml": typed, "grains_in_g": "20"},
    )
    assert response.status_code == 302
    assert Batch.objects.get().volume_ml == Decimal("354.9")  # 1.5 cups of 236.588 ml


def test_the_fahrenheit_edit_field_shows_what_the_page_shows(american_client, grains):
    batch = make_batch(grains, room_temp_c=Decimal(21), strained_at=timezone.now())  # 69.8 °F
    page = american_client.get(f"{batch.get_absolute_url()}?form=edit").content.decode()
    assert "70 °F" in page
    assert 'name="room_temp_c" value="70"' in page
    assert "69.8" not in page


def test_an_untouched_fahrenheit_edit_keeps_the_stored_celsius_and_a_changed_one_converts(
    american_client, grains
):
    batch = make_batch(grains, volume_ml=Decimal(500), room_temp_c=Decimal(21))
    started = timezone.localtime(batch.started_at)
    edit = {
        "base": "cow",
        "volume_ml": "2",
        "grains_in_g": "25",
        "room_temp_c": "70",
        "started_at": f"{started:%Y-%m-%dT%H:%M}",
    }
    assert american_client.post(reverse("batches:edit", args=[batch.pk]), edit).status_code == 302
    batch.refresh_from_db()
    assert batch.room_temp_c == Decimal(21)  # not 21.1 (70 °F)

    edit["room_temp_c"] = "72"
    assert american_client.post(reverse("batches:edit", args=[batch.pk]), edit).status_code == 302
    batch.refresh_from_db()
    assert batch.room_temp_c == Decimal("22.2")
    assert "72 °F" in american_client.get(batch.get_absolute_url()).content.decode()


def test_a_metric_user_gets_millilitres_and_celsius(owner_client, culture):
    batch = make_batch(culture, volume_ml=Decimal(1500), room_temp_c=Decimal(24))
    page = owner_client.get(f"{batch.get_absolute_url()}?form=edit").content.decode()
    assert "1.5 L" in page
    assert "24 °C" in page
    assert "Volume (ml)" in page

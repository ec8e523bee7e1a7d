from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch
from kefir_tracker.grains.models import Culture, Status, Weighing
from kefir_tracker.grains.services import change_status
from tests.factories import make_batch, make_culture, make_weighing
from tests.grains.conftest import HTMX


def test_retiring_keeps_batches_weighings_and_splits(owner_client, owner, culture):
    make_batch(culture)
    make_weighing(culture, 30)
    child = make_culture(owner, "Child", parent=culture)

    response = owner_client.post(
        reverse("grains:status", args=[culture.pk]), {"status": Status.RETIRED}
    )

    assert response.status_code == 302
    culture.refresh_from_db()
    assert culture.status == Status.RETIRED
    assert Batch.objects.filter(culture=culture).count() == 1
    assert Weighing.objects.filter(culture=culture).count() == 1
    assert Culture.objects.get(pk=child.pk).parent == culture
    page = owner_client.get(culture.get_absolute_url()).content.decode()
    assert "retired" in page
    assert "#1<" in page
    assert "Revive" in page


def test_resting_over_htmx_returns_the_panel_with_the_change_milk_button(owner_client, culture):
    response = owner_client.post(
        reverse("grains:status", args=[culture.pk]), {"status": Status.RESTING}, **HTMX
    )

    assert response.status_code == 200
    culture.refresh_from_db()
    assert culture.status == Status.RESTING
    assert culture.rest_milk_changed_at is not None
    html = response.content.decode()
    assert "<html" not in html
    assert "Changed the milk" in html


def test_changing_the_milk_resets_the_reminder(owner_client, culture):
    long_ago = timezone.now() - timedelta(days=12)
    Culture.objects.filter(pk=culture.pk).update(
        status=Status.RESTING, status_changed_at=long_ago, rest_milk_changed_at=long_ago
    )
    assert "Change the milk" in owner_client.get(reverse("grains:list")).content.decode()

    response = owner_client.post(reverse("grains:rest_milk", args=[culture.pk]))

    assert response.status_code == 302
    culture.refresh_from_db()
    assert timezone.now() - culture.rest_milk_changed_at < timedelta(minutes=1)
    assert "Change the milk" not in owner_client.get(reverse("grains:list")).content.decode()


def test_giving_away_needs_a_name_and_keeps_it(owner_client, culture):
    refused = owner_client.post(reverse("grains:give_away", args=[culture.pk]), {"given_to": ""})
    culture.refresh_from_db()
    assert refused.status_code == 200
    assert culture.status == Status.ACTIVE
    assert "Who got them? Write a name." in refused.content.decode()

    response = owner_client.post(
        reverse("grains:give_away", args=[culture.pk]), {"given_to": "Anna"}
    )

    assert response.status_code == 302
    culture.refresh_from_db()
    assert culture.status == Status.GIVEN_AWAY
    assert culture.given_to == "Anna"
    assert "Given to" in owner_client.get(culture.get_absolute_url()).content.decode()


def test_the_same_status_twice_is_refused(culture):
    with pytest.raises(ValidationError, match="already active"):
        change_status(culture, Status.ACTIVE)


def test_an_unknown_status_is_a_bad_request(owner_client, culture):
    response = owner_client.post(reverse("grains:status", args=[culture.pk]), {"status": "eaten"})

    assert response.status_code == 400
    culture.refresh_from_db()
    assert culture.status == Status.ACTIVE


def test_weighing_records_the_weight_and_shows_it(owner_client, culture):
    response = owner_client.post(
        reverse("grains:weigh", args=[culture.pk]),
        {"grams": "31.5", "weighed_at": f"{timezone.localtime():%Y-%m-%dT%H:%M}"},
        **HTMX,
    )

    assert response.status_code == 200
    assert culture.weighings.get().grams == pytest.approx(31.5)
    assert "31.5 g" in response.content.decode()


def test_a_weight_of_nothing_is_refused_in_place(owner_client, culture):
    response = owner_client.post(
        reverse("grains:weigh", args=[culture.pk]),
        {"grams": "0", "weighed_at": f"{timezone.localtime():%Y-%m-%dT%H:%M}"},
        **HTMX,
    )

    assert response.status_code == 200
    assert not culture.weighings.exists()
    assert "Weight must be more than 0 g." in response.content.decode()


def test_renaming_redirects_and_shows_the_new_name(owner_client, culture):
    response = owner_client.post(
        reverse("grains:edit", args=[culture.pk]),
        {
            "name": "Vera's grains",
            "origin": "gift",
            "source": "Vera",
            "acquired_on": "2026-01-05",
            "notes": "Thick kefir.",
        },
    )

    assert response.status_code == 302
    culture.refresh_from_db()
    assert culture.name == "Vera's grains"
    assert "Thick kefir." in owner_client.get(response.url).content.decode()


def test_deleting_grains_with_batches_or_splits_is_refused(owner_client, owner):
    with_batch = make_culture(owner, "With batch")
    make_batch(with_batch)
    with_split = make_culture(owner, "With split")
    make_culture(owner, "Split", parent=with_split)

    for culture in (with_batch, with_split):
        page = owner_client.get(culture.get_absolute_url()).content.decode()
        response = owner_client.post(reverse("grains:delete", args=[culture.pk]))

        assert "Delete " not in page
        assert response.status_code == 302
        assert Culture.objects.filter(pk=culture.pk).exists()
        follow = owner_client.get(response.url).content.decode()
        assert "Retire them instead." in follow


def test_grains_without_history_can_be_deleted(owner_client, culture):
    assert "Delete Babushka" in owner_client.get(culture.get_absolute_url()).content.decode()

    response = owner_client.post(reverse("grains:delete", args=[culture.pk]))

    assert response.status_code == 302
    assert response.url == reverse("grains:list")
    assert not Culture.objects.filter(pk=culture.pk).exists()

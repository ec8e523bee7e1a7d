"""Amounts far from what kefir guides give are questioned beside the field, and can be confirmed."""

import pytest
from django.urls import reverse

from kefir_tracker.batches.models import Batch
from tests.batches.conftest import HTMX


def start(client, culture, **fields):
    return client.post(reverse("batches:start", args=[culture.pk]), fields)


def field_errors(response, name) -> str:
    """The text of the field group of ``name`` in the answer."""
    page = response.content.decode()
    marker = f'name="{name}"'
    assert marker in page, name
    before, after = page.split(marker, 1)
    return before.rsplit('<div class="field', 1)[1] + after.split('<div class="field', 1)[0]


@pytest.mark.parametrize(
    ("volume", "grains", "said"),
    [
        ("0.5", "25", "That is 1 g of grains to 0.02 ml of milk"),
        ("50", "60", "That is 1 g of grains to 0.833 ml of milk"),
        ("5000", "25", "That is 1 g of grains to 200 ml of milk"),
    ],
)
def test_milk_far_from_the_guides_is_questioned_and_nothing_is_saved(
    owner_client, culture, volume, grains, said
):
    response = start(owner_client, culture, base="cow", volume_ml=volume, grains_in_g=grains)
    assert response.status_code == 200
    assert not Batch.objects.exists()
    errors = field_errors(response, "volume_ml")
    assert said in errors
    assert "guides give 1 g to 5–60 ml" in errors
    assert f'value="{volume}"' in errors  # what was typed stays
    assert "These amounts are right" in response.content.decode()


def test_confirmed_amounts_start_the_batch(owner_client, culture):
    response = start(
        owner_client, culture, base="cow", volume_ml="50", grains_in_g="60", amounts_confirmed="on"
    )
    assert response.status_code == 302
    batch = Batch.objects.get()
    assert (batch.volume_ml, batch.grains_in_g) == (50, 60)


def test_usual_amounts_are_not_questioned(owner_client, culture):
    page = owner_client.get(f"/?start={culture.pk}").content.decode()
    assert "These amounts are right" not in page
    response = start(owner_client, culture, base="cow", volume_ml="500", grains_in_g="25")
    assert response.status_code == 302


def test_water_kefir_grains_and_sugar_per_litre(owner_client, water):
    response = start(
        owner_client, water, base="water", volume_ml="1000", grains_in_g="200", sugar_g="300"
    )
    assert "That is 200 g of grains per litre; guides give 30–60 g" in field_errors(
        response, "grains_in_g"
    )
    assert "That is 300 g of sugar per litre; guides give 50–55 g" in field_errors(
        response, "sugar_g"
    )
    assert not Batch.objects.exists()
    fine = start(
        owner_client, water, base="water", volume_ml="1000", grains_in_g="50", sugar_g="55"
    )
    assert fine.status_code == 302


def test_the_question_comes_back_in_the_swapped_form_with_htmx(owner_client, culture):
    response = owner_client.post(
        reverse("batches:start", args=[culture.pk]),
        {"base": "cow", "volume_ml": "0.5", "grains_in_g": "25"},
        **HTMX,
    )
    assert response["HX-Retarget"] == f"#start-{culture.pk}"
    assert "These amounts are right" in response.content.decode()
    assert not Batch.objects.exists()

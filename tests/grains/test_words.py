"""What the grains pages say: in the grains' own food, with counts that add up."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kefir_tracker.grains.models import Culture
from tests.factories import make_batch, make_culture


def test_resting_water_grains_speak_of_sugar_water(owner_client, owner):
    water = make_culture(owner, "Tibicos", kind="water", status="resting")
    page = owner_client.get(water.get_absolute_url()).content.decode()
    assert "Sugar water last changed" in page
    assert "Changed the sugar water" in page
    assert "Milk last changed" not in page
    assert "Changed the milk" not in page

    response = owner_client.post(reverse("grains:rest_milk", args=[water.pk]))
    done = owner_client.get(response.url).content.decode()
    assert "Fresh sugar water for Tibicos: next change in 10 days." in done


def test_resting_milk_grains_still_speak_of_milk(owner_client, owner):
    milk = make_culture(owner, "Babushka", status="resting")
    page = owner_client.get(milk.get_absolute_url()).content.decode()
    assert "Milk last changed" in page
    assert "Changed the milk" in page


def test_the_milk_change_reminder_counts_the_days_it_means(owner_client, owner):
    make_culture(
        owner,
        "Babushka",
        status="resting",
        rest_milk_changed_at=timezone.now() - timedelta(days=10, hours=2),
    )
    page = owner_client.get(reverse("grains:list")).content.decode()
    assert "Change the milk: 10 days in the fridge" in page
    assert "1 week" not in page


def test_a_lineage_of_one_says_one_culture(owner_client, owner):
    make_culture(owner, "Alone")
    page = owner_client.get(reverse("grains:lineage")).content.decode()
    assert ">1 culture<" in page
    assert "1 grains" not in page


def test_discarded_batches_count_neither_as_batches_nor_as_feeding(owner_client, culture):
    now = timezone.now()
    make_batch(culture, started_at=now - timedelta(days=5), strained_at=now - timedelta(days=4))
    make_batch(
        culture,
        started_at=now - timedelta(hours=30),
        discarded=True,
        discarded_at=now - timedelta(hours=29),
        volume_ml=900,
    )
    figures = Culture.objects.with_stats().get(pk=culture.pk)
    assert figures.reuse_count == 1
    assert figures.volume_ml_total == 500
    page = owner_client.get(culture.get_absolute_url()).content.decode()
    assert "<dt>Batches</dt><dd>1</dd>" in page
    assert "<dt>Last fed</dt><dd>5\xa0days ago</dd>" in page

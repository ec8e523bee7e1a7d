from django.urls import reverse

from kefir_tracker.grains.models import Culture
from tests.factories import make_culture


def test_adding_grains_creates_them_for_the_signed_in_user(owner_client, owner):
    response = owner_client.post(
        reverse("grains:create"),
        {"name": "Babushka", "kind": "milk", "origin": "gift", "acquired_on": "2026-01-05"},
    )
    culture = Culture.objects.get()
    assert response.status_code == 302
    assert response.url == culture.get_absolute_url()
    assert culture.owner == owner


def test_a_name_already_used_is_refused_next_to_the_field_and_the_rest_kept(owner_client, culture):
    response = owner_client.post(
        reverse("grains:create"),
        {
            "name": culture.name.lower(),
            "kind": "milk",
            "origin": "bought",
            "source": "Farm shop",
            "acquired_on": "2026-01-05",
        },
    )
    assert response.status_code == 200
    assert Culture.objects.count() == 1
    assert "You already have grains with this name." in response.text
    assert 'value="Farm shop"' in response.text


def test_renaming_to_a_name_already_used_is_refused(owner_client, culture, owner):
    other = make_culture(owner, "Highland")
    response = owner_client.post(
        reverse("grains:edit", args=[other.pk]),
        {"name": "BABUSHKA", "origin": "bought", "acquired_on": "2026-01-05"},
    )
    other.refresh_from_db()
    assert response.status_code == 200
    assert "You already have grains with this name." in response.text
    assert other.name == "Highland"


def test_splitting_into_a_name_already_used_is_refused_and_nothing_split(owner_client, culture):
    response = owner_client.post(
        reverse("grains:split", args=[culture.pk]),
        {
            "total_g": "40",
            "name_1": "Babushka",
            "grams_1": "10",
            "name_2": "Fresh",
            "grams_2": "10",
        },
    )
    assert response.status_code == 200
    assert "You already have grains called Babushka." in response.text
    assert Culture.objects.count() == 1


def test_two_new_grains_of_one_split_cannot_share_a_name(owner_client, culture):
    response = owner_client.post(
        reverse("grains:split", args=[culture.pk]),
        {"total_g": "40", "name_1": "Twin", "grams_1": "10", "name_2": "twin", "grams_2": "10"},
    )
    assert response.status_code == 200
    assert Culture.objects.count() == 1

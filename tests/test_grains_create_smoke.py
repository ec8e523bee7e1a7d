from django.urls import reverse

from kefir_tracker.grains.models import Culture


def test_adding_grains_creates_them_for_the_signed_in_user(owner_client, owner):
    response = owner_client.post(
        reverse("grains:create"),
        {"name": "Babushka", "kind": "milk", "origin": "gift", "acquired_on": "2026-01-05"},
    )
    culture = Culture.objects.get()
    assert response.status_code == 302
    assert response.url == culture.get_absolute_url()
    assert culture.owner == owner

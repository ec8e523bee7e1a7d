import pytest
from django.urls import reverse

from kefir_tracker.grains.models import Culture
from tests.factories import make_culture
from tests.grains.conftest import HTMX

ACTIONS = ["weigh", "split", "status", "give_away", "rest_milk", "edit", "delete"]


def test_another_users_culture_page_is_404(other_client, culture):
    response = other_client.get(reverse("grains:detail", args=[culture.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("action", ACTIONS)
def test_another_users_culture_cannot_be_changed(other_client, culture, action):
    response = other_client.post(
        reverse(f"grains:{action}", args=[culture.pk]),
        {"status": "retired", "grams": "20", "given_to": "Mallory", "name": "Mine now"},
    )

    assert response.status_code == 404
    culture.refresh_from_db()
    assert culture.name == "Babushka"
    assert culture.status == "active"
    assert not culture.weighings.exists()


def test_another_users_culture_is_not_offered_and_a_forged_id_is_refused(
    owner_client, owner, other_user
):
    theirs = make_culture(other_user, "Theirs")

    form_page = owner_client.get(reverse("grains:create"))
    response = owner_client.post(
        reverse("grains:create"),
        {"name": "Mine", "kind": "milk", "origin": "split", "acquired_on": "2026-01-05"}
        | {"parent": theirs.pk},
    )

    assert "Theirs" not in form_page.content.decode()
    assert response.status_code == 200
    assert not Culture.objects.filter(name="Mine").exists()
    assert "Choose one of your own grains." in response.content.decode()


def test_a_forged_parent_from_another_user_is_refused_when_editing(
    owner_client, culture, other_user
):
    theirs = make_culture(other_user, "Theirs")

    response = owner_client.post(
        reverse("grains:edit", args=[culture.pk]),
        {"name": "Babushka", "origin": "unknown", "acquired_on": "2026-01-05"}
        | {"parent": theirs.pk},
        **HTMX,
    )

    assert response.status_code == 200
    culture.refresh_from_db()
    assert culture.parent is None
    assert "Choose one of your own grains." in response.content.decode()


def test_the_lists_show_only_the_users_own_grains(owner_client, culture, other_user):
    make_culture(other_user, "Theirs")

    grains = owner_client.get(reverse("grains:list")).content.decode()
    lineages = owner_client.get(reverse("grains:lineage")).content.decode()

    assert "Babushka" in grains
    assert "Babushka" in lineages
    assert "Theirs" not in grains
    assert "Theirs" not in lineages

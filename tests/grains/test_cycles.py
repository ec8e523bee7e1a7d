"""A culture can never become its own ancestor: not through the form, the admin or the service."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kefir_tracker.grains.models import Culture
from kefir_tracker.grains.services import set_parent
from tests.admin_forms import admin_culture_data
from tests.factories import make_culture, make_user
from tests.grains.conftest import HTMX, make_chain

CYCLE_MESSAGE = "These grains cannot descend from themselves or their own splits."


def edit_data(culture, parent):
    return {
        "name": culture.name,
        "origin": culture.origin,
        "source": culture.source,
        "acquired_on": culture.acquired_on.isoformat(),
        "parent": parent.pk if parent else "",
        "notes": culture.notes,
    }


def parents(owner):
    return dict(Culture.objects.for_user(owner).values_list("name", "parent__name"))


@pytest.mark.parametrize("levels_down", [0, 1, 5])
def test_the_service_refuses_a_culture_under_its_own_descendant(owner, levels_down):
    chain = make_chain(owner, 7)
    before = parents(owner)

    with pytest.raises(ValidationError) as refused:
        set_parent(chain[1], chain[1 + levels_down])

    assert CYCLE_MESSAGE in refused.value.messages
    assert parents(owner) == before


def test_the_service_moves_a_culture_under_a_cousin(owner):
    root, _child, grandchild = make_chain(owner, 2)
    cousin = make_culture(owner, "Cousin", parent=root)

    set_parent(grandchild, cousin)

    grandchild.refresh_from_db()
    assert grandchild.parent == cousin


def test_the_service_refuses_another_users_culture_as_parent(owner, other_user):
    mine = make_culture(owner, "Mine")
    theirs = make_culture(other_user, "Theirs")

    with pytest.raises(ValidationError, match="your own grains"):
        set_parent(mine, theirs)

    mine.refresh_from_db()
    assert mine.parent is None


@pytest.mark.parametrize("levels_down", [1, 4])
def test_the_edit_form_refuses_a_descendant_as_parent_and_changes_nothing(
    owner_client, owner, levels_down
):
    chain = make_chain(owner, 6)
    target = chain[1]
    before = parents(owner)

    response = owner_client.post(
        reverse("grains:edit", args=[target.pk]),
        edit_data(target, chain[1 + levels_down]) | {"name": "Renamed"},
        **HTMX,
    )

    assert response.status_code == 200
    assert parents(owner) == before
    html = response.content.decode()
    assert CYCLE_MESSAGE in html
    assert 'value="Renamed"' in html


def test_the_edit_form_offers_neither_the_culture_its_splits_nor_other_kinds(owner_client, owner):
    root, child, _grandchild = make_chain(owner, 2)
    cousin = make_culture(owner, "Cousin", parent=root)
    make_culture(owner, "Tibicos", kind="water")

    response = owner_client.get(reverse("grains:detail", args=[child.pk]) + "?form=edit")

    select = re.search(r'<select name="parent".*?</select>', response.text, re.S).group(0)
    offered = {
        html.unescape(label).strip("- \xa0")
        for value, label in re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select)
        if value
    }
    assert offered == {root.name, cousin.name}


def test_the_edit_form_refuses_the_culture_itself_as_its_parent(owner_client, owner):
    culture = make_culture(owner, "Babushka")

    response = owner_client.post(
        reverse("grains:edit", args=[culture.pk]), edit_data(culture, culture)
    )

    assert response.status_code == 200
    culture.refresh_from_db()
    assert culture.parent is None
    assert CYCLE_MESSAGE in response.content.decode()


def admin_change_data(culture, parent):
    return admin_culture_data(culture, parent=parent.pk)


@pytest.mark.parametrize("levels_down", [1, 3])
def test_the_admin_refuses_a_descendant_as_parent(client, owner, levels_down):
    admin_user = make_user("admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    chain = make_chain(owner, 5)
    before = parents(owner)

    response = client.post(
        reverse("admin:grains_culture_change", args=[chain[0].pk]),
        admin_change_data(chain[0], chain[levels_down]),
    )

    assert response.status_code == 200
    assert parents(owner) == before
    assert CYCLE_MESSAGE in response.content.decode()


def test_the_admin_saves_a_valid_parent(client, owner):
    admin_user = make_user("admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    first = make_culture(owner, "First")
    second = make_culture(owner, "Second")

    response = client.post(
        reverse("admin:grains_culture_change", args=[second.pk]),
        admin_change_data(second, first),
    )

    assert response.status_code == 302
    second.refresh_from_db()
    assert second.parent == first

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kefir_tracker.grains.models import Culture, Origin, Status
from kefir_tracker.grains.services import Portion, split_culture
from tests.factories import make_culture, make_weighing
from tests.grains.conftest import HTMX


def split_data(**overrides):
    data = {"total_g": "60", "name_1": "Left jar", "grams_1": "20", "name_2": "Right jar"}
    data["grams_2"] = "25"
    data.update(overrides)
    return data


def test_split_creates_children_with_parent_kind_generation_and_weights(owner):
    root = make_culture(owner, "Babushka", origin="gift")
    parent = make_culture(owner, "Babushka II", parent=root, origin="split", kind="milk")

    children = split_culture(
        parent, [Portion("Left jar", Decimal(20)), Portion("Right jar", Decimal(25))], 60
    )

    assert [c.name for c in children] == ["Left jar", "Right jar"]
    stored = Culture.objects.with_lineage(owner).with_stats().filter(parent=parent)
    by_name = {c.name: c for c in stored}
    assert set(by_name) == {"Left jar", "Right jar"}
    for child in stored:
        assert child.kind == parent.kind
        assert child.origin == Origin.SPLIT
        assert child.owner == owner
        assert child.generation == 2
    assert by_name["Left jar"].current_weight_g == Decimal(20)
    assert by_name["Right jar"].current_weight_g == Decimal(25)
    parent_now = Culture.objects.with_lineage(owner).with_stats().get(pk=parent.pk)
    assert parent_now.current_weight_g == Decimal(15)
    assert parent_now.status == Status.ACTIVE


def test_splitting_everything_retires_the_parent_and_keeps_it_in_the_lineage(owner):
    parent = make_culture(owner, "Babushka")

    split_culture(parent, [Portion("A", Decimal(10)), Portion("B", Decimal(10))], 20)

    parent.refresh_from_db()
    assert parent.status == Status.RETIRED
    assert parent.children.count() == 2


@pytest.mark.parametrize(
    ("portions", "total", "message"),
    [
        ([], 20, "at least one"),
        ([("A", 10), ("a", 5)], 20, "its own name"),
        ([("A", 15), ("B", 10)], 20, "more than the 20 g"),
        ([("Babushka", 5), ("B", 5)], 20, "already have grains called Babushka"),
    ],
)
def test_split_service_refuses_impossible_splits_and_saves_nothing(owner, portions, total, message):
    parent = make_culture(owner, "Babushka")

    with pytest.raises(ValidationError, match=message):
        split_culture(parent, [Portion(n, Decimal(g)) for n, g in portions], total)

    assert Culture.objects.count() == 1
    assert not parent.weighings.exists()


def test_split_form_post_redirects_to_the_parent_and_shows_the_children(owner_client, owner):
    parent = make_culture(owner, "Babushka")
    make_weighing(parent, 60)

    response = owner_client.post(reverse("grains:split", args=[parent.pk]), split_data())

    assert response.status_code == 302
    assert response.url == parent.get_absolute_url()
    assert set(parent.children.values_list("name", flat=True)) == {"Left jar", "Right jar"}
    page = owner_client.get(response.url).content.decode()
    assert "Split Babushka into Left jar, Right jar." in page
    assert "Left jar" in page
    assert "15 g" in page


def test_splitting_off_one_portion_for_a_friend_keeps_the_rest_here(owner_client, owner):
    parent = make_culture(owner, "Babushka")
    make_weighing(parent, 40)
    data = {"total_g": "40", "name_1": "For Masha", "grams_1": "15"}

    response = owner_client.post(reverse("grains:split", args=[parent.pk]), data)

    assert response.status_code == 302
    assert list(parent.children.values_list("name", flat=True)) == ["For Masha"]
    page = owner_client.get(parent.get_absolute_url()).text
    assert "Split Babushka into For Masha." in page
    assert "25 g" in page  # what stays in the jar
    assert '<span class="badge ok">active</span>' in page  # not retired: grains remain


def test_split_over_htmx_returns_the_panel_fragment_with_the_new_children(owner_client, owner):
    parent = make_culture(owner, "Babushka")

    response = owner_client.post(reverse("grains:split", args=[parent.pk]), split_data(), **HTMX)

    assert response.status_code == 200
    assert parent.children.count() == 2
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="culture-panel"' in html
    assert "Right jar" in html


def test_split_with_a_missing_weight_comes_back_in_place_with_what_was_typed(owner_client, owner):
    parent = make_culture(owner, "Babushka")

    response = owner_client.post(
        reverse("grains:split", args=[parent.pk]), split_data(grams_2=""), **HTMX
    )

    assert response.status_code == 200
    assert Culture.objects.count() == 1
    html = response.content.decode()
    assert "<html" not in html
    assert "How many grams go to them?" in html
    assert 'value="Right jar"' in html
    assert '<details class="card action" id="split-action" open>' in html


def test_split_with_too_many_grams_is_refused_on_a_full_page_for_a_plain_post(owner_client, owner):
    parent = make_culture(owner, "Babushka")

    response = owner_client.post(
        reverse("grains:split", args=[parent.pk]), split_data(total_g="30")
    )

    assert response.status_code == 200
    assert Culture.objects.count() == 1
    html = response.content.decode()
    assert "<html" in html
    assert "more than the 30 g there are" in html


def test_split_to_a_name_already_taken_is_refused_next_to_the_form(owner_client, owner):
    parent = make_culture(owner, "Babushka")
    make_culture(owner, "Left jar")

    response = owner_client.post(reverse("grains:split", args=[parent.pk]), split_data(), **HTMX)

    assert response.status_code == 200
    assert not parent.children.exists()
    assert "You already have grains called Left jar." in response.content.decode()


def test_split_weights_may_be_typed_with_a_decimal_comma(owner_client, owner):
    parent = make_culture(owner, "Babushka")
    data = {
        "total_g": "40,5",
        "name_1": "Left jar",
        "grams_1": "12,5",
        "name_2": "Right jar",
        "grams_2": "10",
    }

    response = owner_client.post(reverse("grains:split", args=[parent.pk]), data)

    assert response.status_code == 302
    left = parent.children.get(name="Left jar")
    assert left.weighings.get().grams == Decimal("12.5")
    assert parent.weighings.get().grams == Decimal("18.0")


def test_a_split_weight_that_is_not_a_number_is_explained_next_to_it(owner_client, owner):
    parent = make_culture(owner, "Babushka")
    data = {
        "total_g": "40",
        "name_1": "Left jar",
        "grams_1": "a handful",
        "name_2": "Right jar",
        "grams_2": "10",
    }

    response = owner_client.post(reverse("grains:split", args=[parent.pk]), data)

    assert response.status_code == 200
    assert not parent.children.exists()
    assert "Write the weight as a number of grams, like 25 or 12.5." in response.text
    assert 'value="a handful"' in response.text

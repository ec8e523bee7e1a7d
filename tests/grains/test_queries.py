"""Lineage pages cost the same number of queries whatever the depth or width of the family."""

from django.urls import reverse

from kefir_tracker.grains.lineage import DESCENDANTS_SHOWN
from kefir_tracker.grains.models import Culture
from tests.factories import make_batch, make_culture, make_weighing
from tests.grains.conftest import make_chain

SIZE = 300


def with_history(culture):
    make_batch(culture)
    make_weighing(culture, 30)
    return culture


def queries_for(client, django_assert_max_num_queries, url, budget):
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def wide_root(owner):
    root = make_culture(owner, "Wide root")
    Culture.objects.bulk_create(
        Culture(owner=owner, name=f"Split {n}", parent=root, origin="split") for n in range(SIZE)
    )
    return root


def test_culture_pages_deep_wide_or_alone_take_the_same_queries(
    owner_client, owner, django_assert_max_num_queries
):
    alone = with_history(make_culture(owner, "Alone"))
    deep = with_history(make_chain(owner, SIZE)[-1])
    wide = with_history(wide_root(owner))

    alone_count, _ = queries_for(
        owner_client, django_assert_max_num_queries, alone.get_absolute_url(), 12
    )
    deep_count, deep_html = queries_for(
        owner_client, django_assert_max_num_queries, deep.get_absolute_url(), alone_count
    )
    wide_count, wide_html = queries_for(
        owner_client, django_assert_max_num_queries, wide.get_absolute_url(), alone_count
    )

    assert deep_count == wide_count == alone_count
    assert f"gen {SIZE}" in deep_html
    assert f"{SIZE - 3} more generations" in deep_html
    assert "Split 0</a>" in wide_html
    assert f"{SIZE - DESCENDANTS_SHOWN} more splits below" in wide_html


def test_the_grains_list_and_lineage_overview_take_fixed_queries(
    owner_client, owner, django_assert_max_num_queries
):
    with_history(make_culture(owner, "Alone"))
    few_list, _ = queries_for(
        owner_client, django_assert_max_num_queries, reverse("grains:list"), 8
    )
    few_forest, _ = queries_for(
        owner_client, django_assert_max_num_queries, reverse("grains:lineage"), 8
    )
    make_chain(owner, 50)
    wide_root(owner)

    many_list, list_html = queries_for(
        owner_client, django_assert_max_num_queries, reverse("grains:list"), few_list
    )
    many_forest, forest_html = queries_for(
        owner_client, django_assert_max_num_queries, reverse("grains:lineage"), few_forest
    )

    assert many_list == few_list
    assert many_forest == few_forest
    assert "generation 50" in list_html
    assert "301 cultures" in forest_html

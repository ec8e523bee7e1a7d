import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.grains.models import Culture
from tests.factories import make_batch, make_culture, make_weighing
from tests.grains.conftest import HTMX


def days_ago(days, hours=0):
    return timezone.now() - timedelta(days=days, hours=hours)


def stats(owner, culture):
    return Culture.objects.with_lineage(owner).with_stats().get(pk=culture.pk)


def test_the_grains_page_lists_active_grains_first_with_their_figures(owner_client, family):
    Culture.objects.filter(pk=family.root.pk).update(status="retired")
    make_weighing(family.third, 30, weighed_at=days_ago(5))
    for day in (3, 2, 1):
        make_batch(
            family.third, started_at=days_ago(day), strained_at=days_ago(day) + timedelta(hours=20)
        )
    make_batch(
        family.third,
        started_at=days_ago(0, 20),
        strained_at=days_ago(0, 1),
        grains_out_g=Decimal(33),
    )

    response = owner_client.get(reverse("grains:list"))

    assert response.status_code == 200
    html = response.content.decode().replace("\xa0", " ")
    names = re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', html)
    assert names[-1] == "Babushka"  # retired grains come last
    card = html[html.index("Babushka III</a>") : html.index("Little B</a>")]
    assert "generation 2" in card
    assert "<dd>4</dd>" in card
    assert "20 hours ago" in card
    assert "33 g" in card


def test_milk_grains_unfed_for_more_than_three_days_are_hungry_until_rested(owner, owner_client):
    culture = make_culture(owner, "Babushka", status_changed_at=days_ago(30))
    make_batch(culture, started_at=days_ago(4), strained_at=days_ago(3, 1))
    water = make_culture(owner, "Tibicos", kind="water", status_changed_at=days_ago(30))
    make_batch(water, started_at=days_ago(1))

    page = owner_client.get(reverse("grains:list")).content.decode().replace("\xa0", " ")
    assert stats(owner, culture).is_hungry
    assert not stats(owner, water).is_hungry
    assert "Hungry: not fed for 4" in page

    owner_client.post(reverse("grains:status", args=[culture.pk]), {"status": "resting"})

    assert not stats(owner, culture).is_hungry
    assert "Hungry" not in owner_client.get(reverse("grains:list")).content.decode()


@pytest.mark.parametrize(
    ("bases", "needs_dairy"),
    [
        (["cow", "soy", "coconut", "soy"], True),
        (["soy", "soy", "cow"], False),
        (["soy", "coconut"], False),
        (["goat", "coconut", "soy", "coconut", "soy", "goat"], False),
    ],
)
def test_dairy_rotation_after_three_non_dairy_batches_in_a_row(owner, bases, needs_dairy):
    culture = make_culture(owner, "Babushka")
    for age, base in enumerate(reversed(bases)):
        make_batch(culture, base=base, started_at=days_ago(age + 1))

    assert stats(owner, culture).needs_dairy is needs_dairy


def test_the_culture_page_suggests_a_dairy_batch(owner_client, culture):
    for age, base in enumerate(["soy", "coconut", "soy"]):
        make_batch(culture, base=base, started_at=days_ago(age + 1))

    html = owner_client.get(culture.get_absolute_url()).content.decode()

    assert "3 non-dairy batches in a row" in html
    assert "cow or goat milk" in html


def test_the_culture_page_shows_the_whole_line_and_marks_the_culture_itself(owner_client, family):

    response = owner_client.get(family.third.get_absolute_url())

    html = response.content.decode()
    lineage = html[html.index('id="lineage-title"') : html.index('id="weight-title"')]
    order = [lineage.index(name + "</a>") for name in ("Babushka", "Babushka II", "Babushka III")]
    assert order == sorted(order)
    assert "Little B</a>" in lineage
    assert "Anna&#x27;s jar" not in lineage
    assert "Gift from Grandma Vera" in lineage
    assert f'href="{family.third.get_absolute_url()}" aria-current="page"' in lineage
    assert "gen 3" in lineage


def test_the_lineage_overview_counts_cultures_batches_and_litres(owner_client, family, owner):
    make_batch(family.second, volume_ml=Decimal(500))
    make_batch(family.fourth, volume_ml=Decimal(1000))
    loner = make_culture(owner, "Highland")

    response = owner_client.get(reverse("grains:lineage"))

    assert response.status_code == 200
    html = response.content.decode()
    titles = re.findall(r'<h2 id="lineage-\d+">([^<]+) lineage</h2>', html)
    assert titles == [family.root.name, loner.name]
    babushka = html[html.index('id="lineage-' + str(family.root.pk)) : html.index("Highland")]
    assert "5 cultures" in babushka
    assert "2 batches" in babushka
    assert "1.5 L fermented" in babushka


def test_the_weight_chart_is_inline_svg_without_style_attributes(owner_client, culture):
    make_weighing(culture, 20, weighed_at=days_ago(14))
    make_batch(culture, started_at=days_ago(2), strained_at=days_ago(1), grains_out_g=Decimal(24))

    html = owner_client.get(culture.get_absolute_url()).content.decode()

    svg = html[html.index("<svg viewBox") : html.index("</svg>")]
    assert 'class="chart-line"' in svg
    assert 'class="chart-band"' in svg
    assert "style=" not in html
    assert "<script>" not in html


def test_a_culture_without_weights_explains_how_to_get_a_chart(owner_client, culture):
    html = owner_client.get(culture.get_absolute_url()).content.decode()

    assert "Weigh these grains" in html
    assert "<svg viewBox" not in html


def test_batches_come_newest_first_with_stable_numbers_and_more_on_scroll(
    owner_client, culture, settings
):
    settings.PAGE_SIZE = PAGE_SIZE = 20
    for age in reversed(range(PAGE_SIZE + 5)):  # logged oldest first: #1 is the oldest
        make_batch(culture, started_at=days_ago(age + 1))

    first = owner_client.get(culture.get_absolute_url()).content.decode()
    next_url = re.search(r'<li class="more" data-hx-get="([^"]+)"', first).group(1)
    more = owner_client.get(next_url, **HTMX)

    assert f"#{PAGE_SIZE + 5}<" in first
    assert "#5<" not in first
    assert 'hx-trigger="revealed"' in first
    assert more.status_code == 200
    rows = more.content.decode()
    assert "<html" not in rows
    assert "#5<" in rows
    assert "#1<" in rows
    assert f"#{PAGE_SIZE + 5}<" not in rows
    assert "Older batches" not in rows


def test_a_nonsense_batch_cursor_is_a_bad_request(owner_client, culture):
    response = owner_client.get(f"{culture.get_absolute_url()}?cursor=yesterday")

    assert response.status_code == 400


def test_the_dairy_hint_shows_on_the_culture_page_and_today_only_when_due(owner_client, owner):
    due = make_culture(owner, "Babushka")
    fine = make_culture(owner, "Highland")
    for age, base in enumerate(["soy", "soy", "coconut"]):
        make_batch(due, base=base, started_at=days_ago(age + 1), strained_at=days_ago(age + 0.5))
    make_batch(fine, base="goat", started_at=days_ago(1), strained_at=days_ago(0.5))
    hint = "Babushka had 3 non-dairy batches in a row"

    assert hint in owner_client.get(due.get_absolute_url()).text
    assert "non-dairy batches in a row" not in owner_client.get(fine.get_absolute_url()).text
    today = owner_client.get(reverse("batches:today")).text
    assert today.count("non-dairy batches in a row") == 1
    assert hint in today

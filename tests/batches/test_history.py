import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.batches.conftest import HTMX
from tests.factories import make_batch, make_culture, make_tasting

HISTORY = reverse("batches:history")


@pytest.fixture
def small_pages(settings):
    settings.PAGE_SIZE = 3


def rows(response):
    """Batch ids in the order the list shows them."""
    page = response.content.decode()
    return [int(part.split('"')[0]) for part in page.split('id="row-')[1:]]


def test_it_lists_the_users_batches_newest_first(owner_client, culture):
    now = timezone.now()
    old = make_batch(
        culture, started_at=now - timedelta(days=3), strained_at=now - timedelta(days=2)
    )
    new = make_batch(culture, started_at=now - timedelta(hours=5))
    response = owner_client.get(HISTORY)
    assert response.status_code == 200
    assert b"<html" in response.content
    assert rows(response) == [new.pk, old.pk]


def test_each_row_shows_date_culture_base_volume_duration_and_rating(owner_client, culture):
    start = timezone.now() - timedelta(days=3)
    batch = make_batch(culture, started_at=start, strained_at=start + timedelta(hours=18))
    make_tasting(batch, rating=2)
    make_tasting(batch, rating=4)
    page = owner_client.get(HISTORY).content.decode()
    row = page[page.index(f'id="row-{batch.pk}"') :]
    for text in [
        f"{timezone.localtime(start):%a %-d %b}",
        "Babushka",
        "#1",
        "cow milk",
        "500 ml",
        "18 h",
        "★</span> 4",
    ]:
        assert text in row, text


def test_it_shows_only_the_users_own_batches(owner_client, other_user, culture):
    make_batch(make_culture(other_user, "Theirs"), notes="not mine")
    mine = make_batch(culture)
    assert rows(owner_client.get(HISTORY)) == [mine.pk]


def older_batches_link(response):
    """The address of the page's "Older batches" link, or None when it has none."""
    found = re.search(
        r'<a class="button secondary" href="([^"]+)">Older batches</a>', response.text
    )
    return html.unescape(found.group(1)) if found else None


def test_it_pages_by_keyset_with_a_real_link_to_older_batches(owner_client, culture, small_pages):
    start = timezone.now() - timedelta(days=30)
    same_time = start + timedelta(days=10)
    batches = [make_batch(culture, started_at=start + timedelta(days=n)) for n in range(5)]
    batches += [make_batch(culture, started_at=same_time) for _ in range(3)]  # ties broken by id
    newest_first = sorted(batches, key=lambda b: (b.started_at, b.pk), reverse=True)

    first = owner_client.get(HISTORY)
    assert rows(first) == [b.pk for b in newest_first[:3]]
    next_url = older_batches_link(first)
    assert "cursor=" in next_url

    second = owner_client.get(next_url)
    assert rows(second) == [b.pk for b in newest_first[3:6]]
    assert f'href="{HISTORY}">← Newest batches' in second.content.decode()
    third = owner_client.get(older_batches_link(second))
    assert rows(third) == [b.pk for b in newest_first[6:]]
    assert older_batches_link(third) is None


def test_a_batch_started_while_scrolling_does_not_shift_the_next_page(
    owner_client, culture, small_pages
):
    start = timezone.now() - timedelta(days=30)
    batches = [make_batch(culture, started_at=start + timedelta(days=n)) for n in range(6)]
    first = owner_client.get(HISTORY)
    make_batch(culture, started_at=timezone.now())
    second = owner_client.get(older_batches_link(first))
    assert rows(second) == [b.pk for b in reversed(batches[:3])]


def test_htmx_scrolling_gets_just_the_next_rows_and_the_next_trigger(
    owner_client, culture, small_pages
):
    start = timezone.now() - timedelta(days=30)
    for n in range(8):
        make_batch(culture, started_at=start + timedelta(days=n))
    first = owner_client.get(HISTORY)
    assert 'hx-trigger="revealed"' in first.content.decode()
    response = owner_client.get(older_batches_link(first), **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "<ol" not in page
    assert page.strip().startswith("<li")
    assert len(rows(response)) == 3
    assert 'hx-trigger="revealed"' in page


def test_htmx_filtering_gets_the_results_section(owner_client, culture):
    make_batch(culture)
    response = owner_client.get(HISTORY, {"q": "", "base": "cow", "status": ""}, **HTMX)
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert response.content.strip().startswith(b'<section id="history-results"')
    assert "HX-Request" in response["Vary"]
    assert response["HX-Push-Url"] == f"{HISTORY}?base=cow"  # empty fields left out


def test_the_filter_form_pushes_its_query_into_the_address_bar(owner_client):
    page = owner_client.get(HISTORY).content.decode()
    assert 'hx-push-url="true"' in page
    assert 'method="get"' in page


def test_search_finds_words_in_batch_notes_and_tasting_notes(owner_client, culture):
    in_notes = make_batch(culture, notes="Raw milk from Hof Sonnenberg")
    tasted = make_batch(culture, strained_at=timezone.now())
    make_tasting(tasted, notes="very SONNENBERG-like tang")
    make_batch(culture, notes="supermarket milk")
    response = owner_client.get(HISTORY, {"q": "sonnenberg"})
    assert sorted(rows(response)) == sorted([in_notes.pk, tasted.pk])


def test_filters_by_culture_and_base(owner_client, owner, culture, water):
    goat = make_batch(culture, base="goat")
    make_batch(culture)
    sugar = make_batch(water)
    assert rows(owner_client.get(HISTORY, {"base": "goat"})) == [goat.pk]
    assert rows(owner_client.get(HISTORY, {"culture": water.pk})) == [sugar.pk]
    assert rows(owner_client.get(HISTORY, {"culture": culture.pk, "base": "water"})) == []


def test_filters_by_minimum_rating(owner_client, culture):
    now = timezone.now()
    great = make_batch(culture, strained_at=now)
    make_tasting(great, rating=2)
    make_tasting(great, rating=5)
    meh = make_batch(culture, strained_at=now)
    make_tasting(meh, rating=3)
    make_batch(culture)
    assert rows(owner_client.get(HISTORY, {"min_rating": "4"})) == [great.pk]
    assert sorted(rows(owner_client.get(HISTORY, {"min_rating": "3"}))) == sorted(
        [great.pk, meh.pk]
    )


@pytest.mark.parametrize(
    "status", ["fermenting", "strained", "second_ferment", "done", "discarded"]
)
def test_filters_by_status(owner_client, culture, status):
    now = timezone.now()
    hours = timedelta(hours=1)
    tasted = make_batch(culture, strained_at=now - 3 * hours)
    make_tasting(tasted)
    expected = {
        "fermenting": make_batch(culture),
        "strained": make_batch(culture, strained_at=now - 3 * hours),
        "second_ferment": make_batch(culture, strained_at=now - 3 * hours, bottled_at=now - hours),
        "done": tasted,
        "discarded": make_batch(culture, discarded=True, discard_reason="mould"),
    }
    found = rows(owner_client.get(HISTORY, {"status": status}))
    assert found == [expected[status].pk]
    assert expected[status].status == status  # the property agrees with the query


@pytest.mark.parametrize(
    "query",
    [
        {"status": "exploded"},
        {"base": "beer"},
        {"min_rating": "9"},
        {"min_rating": "lots"},
        {"culture": "abc"},
        {"culture": "99999"},
        {"cursor": "garbage"},
        {"cursor": "99999999999999999999999-1"},
        {"q": "x" * 500},
    ],
)
def test_nonsense_in_the_query_string_is_a_400_not_a_crash(owner_client, culture, query):
    make_batch(culture)
    response = owner_client.get(HISTORY, query)
    assert response.status_code == 400
    assert b"This list cannot be shown" in response.content
    assert rows(response) == []


def test_another_users_grains_cannot_be_used_as_a_filter(owner_client, other_user, culture):
    theirs = make_culture(other_user, "Theirs")
    make_batch(theirs)
    assert owner_client.get(HISTORY, {"culture": theirs.pk}).status_code == 400


def test_an_empty_history_says_so(owner_client):
    assert b"No batches yet" in owner_client.get(HISTORY).content


def test_no_match_says_so(owner_client, culture):
    make_batch(culture)
    assert b"No batches match" in owner_client.get(HISTORY, {"q": "zzz"}).content


def test_it_requires_sign_in(client, db):
    assert client.get(HISTORY).status_code == 302


def test_the_folded_filters_load_when_opened_and_open_by_link_without_javascript(
    owner_client, culture
):
    make_batch(culture)
    page = owner_client.get(HISTORY).content.decode()
    assert 'name="culture"' not in page
    assert f'href="{HISTORY}?form=filters#filters-action"' in page

    opened = owner_client.get(f"{HISTORY}?form=filters").content.decode()
    assert '<details class="filter-more" id="filters-action" open>' in opened
    assert f'<option value="{culture.pk}">Babushka</option>' in opened

    fragment = owner_client.get(f"{HISTORY}?form=filters", HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "<html" not in html
    assert 'name="culture"' in html
    assert 'name="min_rating"' in html


def test_filters_that_are_set_are_shown_open(owner_client, culture):
    page = owner_client.get(f"{HISTORY}?base=goat").content.decode()
    assert '<details class="filter-more" id="filters-action" open>' in page
    assert '<option value="goat" selected>' in page


def test_the_search_box_says_it_searches_flavourings_too(owner_client, culture):
    make_batch(culture, strained_at=timezone.now(), flavourings="ginger")
    response = owner_client.get(HISTORY, {"q": "ginger"})
    assert 'placeholder="Search notes, flavourings…"' in response.text
    assert len(rows(response)) == 1

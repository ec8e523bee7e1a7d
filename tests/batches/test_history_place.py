"""History keeps its place in the address, its rows say what each batch is, and a
search says how many batches it found."""

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


@pytest.fixture
def ten_batches(culture):
    """Ten past batches, one a day, newest first as History lists them."""
    now = timezone.now()
    return [
        make_batch(culture, started_at=now - timedelta(days=n + 1), notes=f"lemon {n}")
        for n in range(10)
    ]


def rows(response):
    return [int(part.split('"')[0]) for part in response.text.split('id="row-')[1:]]


def loader_url(response):
    """The address the list loads its next rows from, or None at the end."""
    found = re.search(r'<li class="more" data-hx-get="([^"]+)"', response.text)
    return html.unescape(found.group(1)) if found else None


def row(response, batch):
    page = response.text
    start = page.rindex("<li", 0, page.index(f'id="row-{batch.pk}"'))
    return page[start : page.index("</li>", start)]


# ---- the place in the address ----


def test_loading_more_puts_the_last_row_shown_into_the_address(
    owner_client, ten_batches, small_pages
):
    first = owner_client.get(HISTORY)
    more = owner_client.get(loader_url(first), **HTMX)
    assert rows(more) == [b.pk for b in ten_batches[3:6]]

    address = more["HX-Replace-Url"]
    assert address.startswith(f"{HISTORY}?through=")
    back = owner_client.get(address)  # Back or a reload at that address: a whole page
    assert back.status_code == 200
    assert "<html" in back.text
    assert rows(back) == [b.pk for b in ten_batches[:6]]

    # Scrolling on from there loads the next rows, and the address follows.
    further = owner_client.get(loader_url(back), **HTMX)
    assert rows(further) == [b.pk for b in ten_batches[6:9]]
    assert rows(owner_client.get(further["HX-Replace-Url"])) == [b.pk for b in ten_batches[:9]]


def test_the_address_keeps_the_search_with_the_place(owner_client, culture, small_pages):
    now = timezone.now()
    lemons = [
        make_batch(culture, started_at=now - timedelta(days=n + 1), flavourings="lemon")
        for n in range(5)
    ]
    make_batch(culture, started_at=now - timedelta(hours=30), notes="plain")
    first = owner_client.get(HISTORY, {"q": "lemon"})
    more = owner_client.get(loader_url(first), **HTMX)
    address = more["HX-Replace-Url"]
    assert address.startswith(f"{HISTORY}?q=lemon&through=")
    back = owner_client.get(address)
    assert rows(back) == [b.pk for b in lemons]
    assert 'value="lemon"' in back.text
    assert "5 batches match “lemon”" in back.text


def test_a_batch_started_since_shows_on_top_and_no_row_is_lost(
    owner_client, culture, ten_batches, small_pages
):
    address = owner_client.get(loader_url(owner_client.get(HISTORY)), **HTMX)["HX-Replace-Url"]
    ten_batches[0].strained_at = timezone.now()
    ten_batches[0].save()
    new = make_batch(culture, started_at=timezone.now())
    assert rows(owner_client.get(address)) == [new.pk] + [b.pk for b in ten_batches[:6]]


def test_the_last_rows_leave_no_loader_and_the_address_says_all(
    owner_client, ten_batches, small_pages
):
    response = owner_client.get(HISTORY)
    while loader_url(response):
        response = owner_client.get(loader_url(response), **HTMX)
    everything = owner_client.get(response["HX-Replace-Url"])
    assert rows(everything) == [b.pk for b in ten_batches]
    assert loader_url(everything) is None


def test_an_address_whose_rows_were_deleted_shows_the_newest(
    owner_client, ten_batches, small_pages
):
    address = owner_client.get(loader_url(owner_client.get(HISTORY)), **HTMX)["HX-Replace-Url"]
    for batch in ten_batches[:6]:
        batch.delete()
    assert rows(owner_client.get(address)) == [b.pk for b in ten_batches[6:9]]


@pytest.mark.parametrize(
    "query",
    [{"through": "garbage"}, {"through": "1-2-3"}, {"through": "5-1", "cursor": "5-1"}],
)
def test_a_broken_place_is_a_400_not_a_crash(owner_client, ten_batches, query):
    response = owner_client.get(HISTORY, query)
    assert response.status_code == 400
    assert "This list cannot be shown" in response.text


def test_another_kitchens_batches_stay_out_of_a_place(owner_client, other_user, ten_batches):
    theirs = make_batch(make_culture(other_user, "Theirs"), started_at=timezone.now())
    address = f"{HISTORY}?through=0-1"  # from the beginning of time
    assert theirs.pk not in rows(owner_client.get(address))
    assert rows(owner_client.get(address)) == [b.pk for b in ten_batches]


def test_rows_loaded_by_htmx_and_whole_pages_vary_on_hx_request(
    owner_client, ten_batches, small_pages
):
    first = owner_client.get(HISTORY)
    fragment = owner_client.get(loader_url(first), **HTMX)
    page = owner_client.get(loader_url(first))  # the same address without htmx
    assert "<html" not in fragment.text
    assert "<html" in page.text
    for response in (first, fragment, page):
        assert "HX-Request" in response["Vary"]


# ---- caching headers ----


@pytest.mark.parametrize("path", ["/", "/history/", "/grains/", "/account/"])
def test_signed_in_pages_are_private_and_checked_again_but_kept_for_back(
    owner_client, culture, path
):
    make_batch(culture)
    response = owner_client.get(path)
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-cache"} <= directives
    assert "no-store" not in directives  # that would stop Back from keeping the page
    assert "Cookie" in response["Vary"]


def test_a_batch_page_and_an_htmx_fragment_are_private_too(owner_client, ten_batches):
    for response in (
        owner_client.get(ten_batches[0].get_absolute_url()),
        owner_client.get(HISTORY, {"q": "lemon"}, **HTMX),
    ):
        assert response["Cache-Control"] == "private, no-cache"


def test_sign_in_keeps_its_own_never_cache(client, owner):
    response = client.get(reverse("accounts:login"))
    assert "no-store" in response["Cache-Control"]


# ---- what a row shows ----


def test_a_row_shows_its_flavourings(owner_client, culture):
    start = timezone.now() - timedelta(days=2)
    bottled = make_batch(
        culture,
        started_at=start,
        strained_at=start + timedelta(hours=20),
        bottled_at=start + timedelta(hours=21),
        flavourings="ginger & lemon",
    )
    plain = make_batch(culture, started_at=timezone.now() - timedelta(hours=3))
    response = owner_client.get(HISTORY)
    assert "with ginger &amp; lemon" in row(response, bottled)
    assert " with " not in row(response, plain)


@pytest.mark.parametrize(
    ("made", "label"),
    [
        ({}, "fermenting"),
        ({"strained": True}, "strained"),
        ({"strained": True, "tasted": True}, "done"),
        ({"strained": True, "bottled": True}, "in second ferment"),
        ({"strained": True, "bottled": True, "finished": True}, "done"),
        ({"discarded": True}, "discarded"),
    ],
)
def test_every_row_shows_the_status_of_its_batch(owner_client, culture, made, label):
    start = timezone.now() - timedelta(days=2)
    fields = {"started_at": start}
    if made.get("strained"):
        fields["strained_at"] = start + timedelta(hours=20)
    if made.get("bottled"):
        fields["bottled_at"] = start + timedelta(hours=21)
    if made.get("finished"):
        fields["finished_at"] = start + timedelta(hours=30)
    if made.get("discarded"):
        fields.update(discarded=True, discard_reason="mould")
    batch = make_batch(culture, **fields)
    if made.get("tasted"):
        make_tasting(batch)
    shown = row(owner_client.get(HISTORY), batch)
    status = re.search(r'<span class="badge status-[a-z_]+">([^<]+)</span>', shown)
    assert status, shown
    assert status.group(1) == label


# ---- how many a search found ----


def test_a_search_says_how_many_batches_match(owner_client, culture, ten_batches, small_pages):
    make_batch(culture, started_at=timezone.now() - timedelta(days=20), notes="plain")
    response = owner_client.get(HISTORY, {"q": "lemon"})
    assert len(rows(response)) == 3  # one page of them shown, all of them counted
    assert '<p class="result-count" role="status">10 batches match “lemon”</p>' in response.text
    swapped = owner_client.get(HISTORY, {"q": "lemon"}, **HTMX)
    assert "10 batches match “lemon”" in swapped.text
    # The rows that load as the list scrolls do not repeat it.
    assert "result-count" not in owner_client.get(loader_url(response), **HTMX).text


def test_the_count_names_filters_and_one_batch(owner_client, culture, water, ten_batches):
    make_batch(water, notes="lemon water")
    assert "1 batch matches “lemon” and these filters" in (
        owner_client.get(HISTORY, {"q": "lemon", "culture": water.pk}).text
    )
    assert "10 batches match these filters" in owner_client.get(HISTORY, {"base": "cow"}).text


def test_the_search_text_in_the_count_is_escaped(owner_client, culture):
    make_batch(culture, notes="<b>bold</b>")
    response = owner_client.get(HISTORY, {"q": "<b>"})
    assert "1 batch matches “&lt;b&gt;”" in response.text


def test_an_unfiltered_list_shows_no_count(owner_client, ten_batches):
    assert "result-count" not in owner_client.get(HISTORY).text

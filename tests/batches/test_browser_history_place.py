"""History keeps the place: scrolled far back, a batch opened, Back returns to the same row.

Playwright's Chromium runs without the back/forward cache, so Back here reloads the
page as a phone under memory pressure would: the rows must come from the address.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kefir_tracker.batches.models import Batch, number_in_start_order
from tests.browser import assert_no_horizontal_overflow, sign_in_through_the_form, wait_for_worker

pytestmark = pytest.mark.browser

ROW = 100  # the row a person scrolled to, counted from the newest


@pytest.fixture
def many_batches(owner, culture):
    """120 strained batches, one a day, newest first as History lists them."""
    now = timezone.now()
    batches = [
        Batch(
            owner=owner,
            culture=culture,
            base="cow",
            volume_ml=Decimal(500),
            grains_in_g=Decimal(25),
            started_at=now - timedelta(days=n + 1),
            strained_at=now - timedelta(days=n + 1) + timedelta(hours=20),
            notes=f"routine batch {n + 1}",
        )
        for n in range(120)
    ]
    number_in_start_order(batches)
    Batch.objects.bulk_create(batches)
    return list(Batch.objects.order_by("-started_at", "-pk"))


def scroll_until_row_is_loaded(page, batch):
    """Scroll down the way a thumb does until the row of ``batch`` has loaded."""
    rows = page.locator(".batch-row")
    while page.locator(f"#row-{batch.pk}").count() == 0:
        shown = rows.count()
        page.locator(".batch-list .more").scroll_into_view_if_needed()
        expect(rows).not_to_have_count(shown)  # the next page came in


def rows_shown(page):
    return page.locator(".batch-row").evaluate_all("rows => rows.map(row => row.id)")


def top_of(page, batch):
    return page.locator(f"#row-{batch.pk}").evaluate("row => row.getBoundingClientRect().top")


def test_back_from_a_batch_returns_to_the_same_row(signed_in_page, live_server, many_batches):
    page, row = signed_in_page, many_batches[ROW - 1]
    page.goto(f"{live_server.url}/history/")
    scroll_until_row_is_loaded(page, row)
    page.locator(f"#row-{row.pk}").evaluate("row => row.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)  # the rows after it may load as they come into view
    top_before = top_of(page, row)

    page.locator(f"#row-{row.pk} a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Babushka")
    page.go_back()

    expect(page.locator(f"#row-{row.pk}")).to_be_in_viewport()
    assert abs(top_of(page, row) - top_before) < 40
    assert rows_shown(page)[:ROW] == [f"row-{batch.pk}" for batch in many_batches[:ROW]]
    assert_no_horizontal_overflow(page)


def test_back_returns_to_the_row_when_the_browser_forgets_the_scroll(
    signed_in_page, live_server, many_batches
):
    """Chromium loses the scroll position of a page it evicts from the back/forward
    cache; History then puts the row back where it was itself. Here the browser is
    told not to restore any scroll, so only History can."""
    page, row = signed_in_page, many_batches[ROW - 1]
    page.add_init_script("history.scrollRestoration = 'manual'")
    page.goto(f"{live_server.url}/history/")
    scroll_until_row_is_loaded(page, row)
    page.locator(f"#row-{row.pk}").evaluate("row => row.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)  # the rows after it may load as they come into view
    top_before = top_of(page, row)

    page.locator(f"#row-{row.pk} a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Babushka")
    page.go_back()

    expect(page.locator(f"#row-{row.pk}")).to_be_in_viewport()
    assert abs(top_of(page, row) - top_before) < 40

    # Opening History afresh from the tab bar starts at the newest batch, as before.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    expect(page.locator(".batch-row").first).to_be_in_viewport()
    assert page.evaluate("scrollY") == 0


def test_a_place_scrolled_to_after_coming_back_is_the_one_kept(
    signed_in_page, live_server, many_batches
):
    """The row remembered when a batch was opened is forgotten once back: leaving later
    from elsewhere in the list (by the tab bar) comes back there, not to the old row."""
    page, first, later = signed_in_page, many_batches[ROW - 1], many_batches[40]
    page.goto(f"{live_server.url}/history/")
    scroll_until_row_is_loaded(page, first)
    page.locator(f"#row-{first.pk} a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Babushka")
    page.go_back()
    expect(page.locator(f"#row-{first.pk}")).to_be_in_viewport()

    # Back up the list: no more rows load, so nothing else rewrites the history entry.
    page.locator(f"#row-{later.pk}").evaluate("row => row.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)  # the rows after it may load as they come into view
    top_before = top_of(page, later)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Grains").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grains")
    page.go_back()

    expect(page.locator(f"#row-{later.pk}")).to_be_in_viewport()
    assert abs(top_of(page, later) - top_before) < 40


def test_the_address_alone_brings_back_the_rows_of_a_search(
    signed_in_page, live_server, many_batches
):
    page, row = signed_in_page, many_batches[ROW - 1]
    page.goto(f"{live_server.url}/history/")
    page.get_by_role("searchbox").fill("routine")
    expect(page.locator(".result-count")).to_have_text("120 batches match “routine”")
    scroll_until_row_is_loaded(page, row)
    address = page.url

    # A new tab (no back/forward cache, no htmx snapshot) at that address.
    other = page.context.new_page()
    other.goto(address)
    expect(other.get_by_role("searchbox")).to_have_value("routine")
    expect(other.locator(".result-count")).to_have_text("120 batches match “routine”")
    assert rows_shown(other)[:ROW] == [f"row-{batch.pk}" for batch in many_batches[:ROW]]

    # Reloading keeps them too.
    page.reload()
    assert rows_shown(page)[:ROW] == [f"row-{batch.pk}" for batch in many_batches[:ROW]]


@pytest.fixture
def page_with_back_forward_cache(browser_type, browser_type_launch_args, browser_context_args):
    """A phone page in a Chromium that keeps pages for Back, as phones do (Playwright
    turns that off by default)."""
    browser = browser_type.launch(
        **browser_type_launch_args, ignore_default_args=["--disable-back-forward-cache"]
    )
    yield browser.new_context(**browser_context_args).new_page()
    browser.close()


def test_the_back_forward_cache_keeps_history_as_it_was(
    page_with_back_forward_cache, live_server, owner, many_batches
):
    """History does nothing that keeps it out of the back/forward cache. Chromium may
    still drop a kept page for reasons of its own ("Circumstantial", such as
    IgnoreEventAndEvict, seen about once in ten runs with or without the service
    worker); Back then renders the rows again from ``?through=``, at the same row."""
    page, row = page_with_back_forward_cache, many_batches[ROW - 1]
    sign_in_through_the_form(page, live_server, owner)
    # Chromium drops the pages it keeps for Back when a new service worker activates
    # (once per release, on a phone); here the first install is over before History.
    wait_for_worker(page)
    page.goto(f"{live_server.url}/history/")
    scroll_until_row_is_loaded(page, row)
    page.evaluate("window.sameDocument = true")
    devtools = page.context.new_cdp_session(page)
    devtools.send("Page.enable")
    not_kept = []
    devtools.on("Page.backForwardCacheNotUsed", lambda event: not_kept.append(event))

    page.locator(f"#row-{row.pk} a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Babushka")
    page.go_back(wait_until="commit")  # a page restored from the cache fires no "load"

    expect(page.locator(f"#row-{row.pk}")).to_be_attached()
    if not page.evaluate("window.sameDocument === true"):
        assert not_kept, "History was loaded again, and Chromium did not say why"
        reasons = [e for event in not_kept for e in event["notRestoredExplanations"]]
        assert all(r["type"] == "Circumstantial" for r in reasons), reasons
    expect(page.locator(f"#row-{row.pk}")).to_be_in_viewport()

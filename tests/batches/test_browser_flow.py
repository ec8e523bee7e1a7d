"""A new kefir maker's first morning, on a phone: sign up, add grains, start, strain, taste, look back."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kefir_tracker.accounts.models import User
from kefir_tracker.batches.models import Batch
from tests.browser import assert_no_horizontal_overflow
from tests.factories import PASSWORD, make_batch

pytestmark = pytest.mark.browser


def add_older_batches(user, culture, count):
    """``count`` strained batches of the last weeks, every third one in goat milk."""
    now = timezone.now()
    for n in range(count):
        start = now - timedelta(days=n + 2)
        make_batch(
            culture,
            base="goat" if n % 3 == 0 else "cow",
            started_at=start,
            strained_at=start + timedelta(hours=20),
            notes=f"routine batch {n}",
        )


def test_a_new_user_logs_strains_tastes_and_finds_a_batch(page, live_server, owner):
    url = live_server.url

    # Sign up and add grains.
    page.goto(f"{url}/account/sign-up/")
    assert_no_horizontal_overflow(page)
    page.get_by_label("Username").fill("newbie")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{url}/")

    page.goto(f"{url}/grains/new/")
    assert_no_horizontal_overflow(page)
    page.get_by_label("Name").fill("Babushka")
    page.get_by_label("Kind").select_option("milk")
    page.get_by_role("button", name="Add grains").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Babushka")
    assert_no_horizontal_overflow(page)

    # Start a batch on Today.
    page.goto(f"{url}/")
    assert_no_horizontal_overflow(page)
    card = page.locator(".start-card", has_text="Babushka")
    card.locator("summary", has_text="Start batch").click()
    card.get_by_label("Volume (ml)").fill("500")
    card.get_by_label("Grains in (g)").fill("25")
    card.locator("summary", has_text="Time, temperature, notes").click()
    card.get_by_label("Notes").fill("Raw milk from Hof Sonnenberg")
    assert_no_horizontal_overflow(page)
    card.get_by_role("button", name="Start", exact=True).click()
    fermenting = page.locator(".batch-card", has_text="Babushka")
    expect(fermenting).to_contain_text("500 ml")
    batch = Batch.objects.get()
    assert batch.notes == "Raw milk from Hof Sonnenberg"

    # Strain it without a page reload.
    page.evaluate("window.__marker = 1")
    fermenting.get_by_role("button", name="Strain").click()
    expect(fermenting).to_contain_text("Strained")
    assert page.evaluate("window.__marker") == 1
    batch.refresh_from_db()
    assert batch.strained_at is not None
    assert_no_horizontal_overflow(page)

    # Taste it.
    fermenting.get_by_role("link", name="How does it taste?").click()
    expect(page).to_have_title(re.compile("Batch 1 of Babushka"))
    assert_no_horizontal_overflow(page)
    tasting = page.locator("#taste-form")
    tasting.get_by_role("group", name="Rating").get_by_text("4", exact=True).click()
    tasting.get_by_label("Notes").fill("Mild and thick")
    tasting.get_by_role("button", name="Add tasting note").click()
    expect(page.locator(".timeline")).to_contain_text("Tasted: 4/5")
    expect(page.locator("#tasting")).to_contain_text("Mild and thick")
    assert_no_horizontal_overflow(page)

    # Look back: search, filter, scroll.
    user = User.objects.get(username="newbie")
    add_older_batches(user, batch.culture, 32)
    page.get_by_role("link", name="History").click()
    expect(page.locator(".batch-row")).to_have_count(25)
    assert_no_horizontal_overflow(page)

    page.get_by_label("Search notes").fill("sonnenberg")
    expect(page).to_have_url(re.compile(r"q=sonnenberg"))
    expect(page.locator(".batch-row")).to_have_count(1)
    expect(page.locator(".batch-row")).to_contain_text("★ 4")
    page.get_by_label("Search notes").fill("")
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Base").select_option("goat")
    expect(page).to_have_url(re.compile(r"base=goat"))
    expect(page.locator(".batch-row")).to_have_count(11)
    for row in page.locator(".batch-row").all():
        expect(row).to_contain_text("goat milk")
    assert_no_horizontal_overflow(page)

    page.get_by_role("link", name="Clear filters").click()
    expect(page.locator(".batch-row")).to_have_count(25)
    page.locator(".batch-list .more").scroll_into_view_if_needed()
    expect(page.locator(".batch-row")).to_have_count(33)
    expect(page.locator(".batch-list .more")).to_have_count(0)
    assert_no_horizontal_overflow(page)

    # A negative volume is refused, clearly, and nothing is saved.
    page.get_by_role("link", name="Today").click()
    card = page.locator(".start-card", has_text="Babushka")
    card.locator("summary", has_text="Start batch").click()
    card.get_by_label("Volume (ml)").fill("-500")
    card.get_by_role("button", name="Start", exact=True).click()
    expect(card.get_by_text("Volume must be more than 0 ml.")).to_be_visible()
    expect(card.get_by_label("Volume (ml)")).to_have_value("-500")
    assert Batch.objects.count() == 33
    assert not Batch.objects.filter(volume_ml__lte=Decimal(0)).exists()
    assert_no_horizontal_overflow(page)

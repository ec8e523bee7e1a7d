"""On a phone: the ratio coach answers as the start form is typed in, "Use these amounts"
fills the form, and Start saves those amounts."""

import json
import re
import zoneinfo
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kefir_tracker.batches.models import Batch
from tests.browser import assert_no_horizontal_overflow
from tests.checkers import axe_violations
from tests.factories import make_batch

pytestmark = pytest.mark.browser


@pytest.fixture
def babushka(culture):
    """Grains with a few strained batches (asked for before ``signed_in_page``)."""
    now = timezone.now()
    for n in range(6):
        start = now - timedelta(days=n + 2)
        make_batch(culture, started_at=start, strained_at=start + timedelta(hours=18 + n))
    return culture


def test_the_coach_fills_the_amounts_for_a_ready_by_time_and_start_saves_them(
    babushka, signed_in_page, live_server, owner
):
    page = signed_in_page
    card = page.locator(".start-card", has_text="Babushka")
    card.locator("summary", has_text="Start batch").click()
    coach = card.locator(".coach-answer")
    # Opened, the coach already says when the last batch's amounts would be ready.
    expect(coach).to_contain_text("it will be ready about")

    local = timezone.localtime(timezone=zoneinfo.ZoneInfo(owner.time_zone))
    ready_by = f"{local + timedelta(hours=20):%H:%M}"
    card.get_by_label("Grains in (g)").fill("30")
    card.get_by_label("Ready by").fill(ready_by)
    expect(coach).to_contain_text(f"To be ready by {ready_by}")
    expect(coach).to_contain_text("with 30 g of grains, use about")
    expect(coach).to_have_attribute("aria-live", "polite")
    # The answer is announced, not focused: the person can go on typing.
    assert page.evaluate("document.activeElement.name") == "ready_by"
    assert_no_horizontal_overflow(page)

    use = card.get_by_role("button", name="Use these amounts")
    volume = json.loads(use.get_attribute("data-coach-fill"))["volume_ml"]
    assert re.search(rf"use about {volume}\s+ml of milk", coach.inner_text())
    assert volume != "500"  # not simply the last batch's amount
    use.click()
    volume_field = card.get_by_label("Volume (ml)")
    expect(volume_field).to_have_value(volume)
    expect(volume_field).to_be_focused()
    expect(use).to_have_count(0)  # the coach answered again: nothing more to fill
    expect(coach).to_contain_text(f"use about {volume} ml of milk")
    assert Batch.objects.filter(strained_at=None).count() == 0  # nothing was sent

    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe_violations(page) == [], scheme
    page.emulate_media(color_scheme="light")

    # Go on the phone's keyboard starts the batch: the coach's buttons are not the form's.
    card.get_by_label("Grains in (g)").press("Enter")
    fermenting = page.get_by_role("region", name="Fermenting now").locator(
        ".batch-card", has_text="Babushka"
    )
    expect(fermenting).to_contain_text(f"{volume} ml")
    batch = Batch.objects.get(strained_at=None)
    assert (batch.volume_ml, batch.grains_in_g) == (Decimal(volume), Decimal(30))

    fermenting.get_by_role("link", name="Babushka", exact=True).click()
    expect(page).to_have_title(re.compile(f"Batch {batch.number} of Babushka"))
    facts = page.locator("dl")
    expect(facts).to_contain_text(f"Volume{volume} ml")
    expect(facts).to_contain_text("Grains in30 g")

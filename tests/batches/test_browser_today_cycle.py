"""Today on a phone follows the whole cycle, and its times move on while it stays open."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kefir_tracker.batches.models import Batch
from kefir_tracker.batches.services import estimate
from kefir_tracker.forecast.model import model_for
from kefir_tracker.grains.models import HUNGRY_AFTER, MILK_CHANGE_AFTER, Kind, Status
from tests.browser import assert_no_horizontal_overflow, sign_in_through_the_form
from tests.checkers import axe_violations
from tests.factories import make_batch, make_culture

pytestmark = pytest.mark.browser


def section(page, heading):
    """The section of Today under the heading ``heading``."""
    return page.get_by_role("region", name=heading)


def test_a_water_kefir_batch_goes_round_the_whole_cycle_on_today(
    owner, signed_in_page, live_server
):
    make_culture(owner, "Tibicos", kind=Kind.WATER)
    page = signed_in_page
    page.goto(f"{live_server.url}/")

    # Start.
    start = page.locator(".start-card", has_text="Tibicos")
    start.locator("summary", has_text="Start batch").click()
    start.get_by_label("Volume (ml)").fill("1000")
    start.get_by_label("Grains in (g)").fill("50")
    start.get_by_label("Sugar (g)").fill("50")
    start.get_by_role("button", name="Start", exact=True).click()
    fermenting = section(page, "Fermenting now")
    expect(fermenting.get_by_role("button", name="Strain Tibicos")).to_be_visible()
    batch = Batch.objects.get()
    card = page.locator(f"#batch-{batch.pk}")
    assert_no_horizontal_overflow(page)

    # Strain: the card stays, with the next steps and an Undo.
    card.get_by_role("button", name="Strain Tibicos").click()
    expect(card).to_contain_text("Strained")
    expect(card.get_by_role("link", name="How does it taste? Tibicos #1")).to_be_visible()
    expect(card.get_by_role("button", name="Undo the strain of Tibicos")).to_be_visible()
    batch.refresh_from_db()
    assert batch.strained_at is not None

    # Shown again, it waits for a tasting.
    page.reload()
    waiting = section(page, "Waiting for a tasting")
    expect(waiting.locator(f"#batch-{batch.pk}")).to_be_visible()
    expect(fermenting).to_contain_text("Nothing is fermenting")
    assert_no_horizontal_overflow(page)

    # Bottle it for a second ferment, with ginger.
    card.get_by_text("Bottle…").click()
    card.get_by_label("Flavourings").fill("ginger")
    assert_no_horizontal_overflow(page)
    card.get_by_role("button", name="Bottle Tibicos #1").click()
    expect(card).to_contain_text("bottled")
    expect(card).to_contain_text("with ginger")
    batch.refresh_from_db()
    assert batch.bottled_at is not None
    assert batch.flavourings == "ginger"
    burp = timezone.localtime(batch.bottled_at + timedelta(hours=12))  # every 12 h
    expect(card).to_contain_text(re.compile(rf"Burp the bottles at (\w{{3}} )?{burp:%H:%M}"))
    expect(card).to_contain_text("ready to taste")

    page.reload()
    expect(section(page, "Second ferment").locator(f"#batch-{batch.pk}")).to_be_visible()
    expect(page.get_by_role("region", name="Waiting for a tasting")).to_have_count(0)
    assert_no_horizontal_overflow(page)

    # Finish: one tap, said in the live region, with an Undo for a while.
    card.get_by_role("button", name="Finish Tibicos #1").click()
    expect(page.get_by_role("status")).to_have_text(
        "Finished the second ferment of batch 1 of Tibicos."
    )
    expect(card).to_contain_text("Finished")
    expect(card.get_by_role("button", name="Undo the finish of Tibicos")).to_be_visible()
    expect(card.get_by_role("button", name=re.compile("^Finish"))).to_have_count(0)
    batch.refresh_from_db()
    assert batch.finished_at is not None
    assert_no_horizontal_overflow(page)


def test_times_move_on_while_today_stays_open_until_a_batch_is_overdue(
    owner, culture, page, live_server
):
    """The phone's clock runs fast here (Playwright's), the page is never loaded again."""
    now = timezone.now()
    # The phone's clock starts now, with the server's: installed after the setup below,
    # it lagged the server by however long that took (a strain "5 min ago" after 6 min
    # under load in CI).
    page.clock.install(time=now)
    batch = make_batch(culture, started_at=now - timedelta(hours=1), room_temp_c=Decimal(22))
    forecast = estimate(batch, model_for(owner)).forecast
    # Ready in 20 minutes (and a half, so that the page says 20 a moment later);
    # overdue some hours later, at the end of its usual range.
    batch.started_at = now - forecast.expected + timedelta(minutes=20, seconds=30)
    batch.save()
    ready = estimate(batch, model_for(owner))
    other = make_culture(owner, "Little B")
    to_strain = make_batch(other, started_at=now - timedelta(hours=10))

    sign_in_through_the_form(page, live_server, owner)
    card = page.locator(f"#batch-{batch.pk}")
    bar = card.locator("progress")
    expect(card).to_contain_text("ready in 20 min")
    expect(card.get_by_text("ready since")).to_be_hidden()
    expect(card.locator(".overdue-line")).to_be_hidden()
    before = int(bar.get_attribute("value"))
    assert before < 100

    # A card swapped in by htmx is live too.
    page.get_by_role("button", name="Strain Little B").click()
    strained = page.locator(f"#batch-{to_strain.pk}")
    expect(strained).to_contain_text("0 min ago")
    page.clock.fast_forward("06:00")
    expect(strained).to_contain_text("6 min ago")
    expect(card).to_contain_text("ready in 14 min")

    page.clock.fast_forward("20:00")
    expect(card.get_by_text(re.compile("^ready since"))).to_be_visible()
    expect(card.get_by_text(re.compile("^ready in"))).to_be_hidden()
    expect(bar).to_have_attribute("value", "100")
    expect(card).not_to_have_class(re.compile("overdue"))

    past_due = ready.latest - now + timedelta(minutes=5)
    page.clock.fast_forward(int(past_due.total_seconds() * 1000) - 26 * 60 * 1000)
    expect(card).to_have_class(re.compile(r"\boverdue\b"))
    overdue = card.locator(".overdue-line")
    expect(overdue).to_be_visible()
    expect(overdue).to_contain_text(re.compile(r"Overdue by [5-6] min"))
    # No live region ticks: the only polite region is the page's messages.
    assert page.locator("[aria-live], [role=status]").count() == 1


@pytest.fixture
def whole_cycle(owner):
    """Every section of Today, with an overdue batch and a burp due now."""
    now = timezone.now()
    late = make_culture(owner, "Babushka")
    make_batch(late, started_at=now - timedelta(hours=60))
    little_b = make_culture(owner, "Little B")
    strained = now - timedelta(hours=3)
    make_batch(little_b, started_at=strained - timedelta(hours=20), strained_at=strained)
    make_batch(little_b, started_at=now - timedelta(hours=2))
    tibicos = make_culture(owner, "Tibicos", kind=Kind.WATER)
    bottled = now - timedelta(hours=12, minutes=30)
    make_batch(
        tibicos,
        started_at=bottled - timedelta(hours=40),
        strained_at=bottled,
        bottled_at=bottled,
        flavourings="raspberry",
    )
    old = now - MILK_CHANGE_AFTER - timedelta(days=2)
    make_culture(owner, "Fridge jar", status=Status.RESTING, rest_milk_changed_at=old)
    make_culture(owner, "Forgotten", status_changed_at=now - HUNGRY_AFTER - timedelta(hours=3))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_today_with_every_part_of_the_cycle_has_nothing_for_axe(
    whole_cycle, signed_in_page, live_server, scheme
):
    page = signed_in_page
    page.emulate_media(color_scheme=scheme)
    page.reload()
    for heading in ("Fermenting now", "Waiting for a tasting", "Second ferment", "Grains"):
        expect(section(page, heading)).to_be_visible()
    expect(page.locator(".batch-card.overdue")).to_contain_text("Overdue by")
    expect(page.locator(".burp-due:visible")).to_have_text(re.compile("^Burp the bottles now"))
    assert_no_horizontal_overflow(page)
    assert axe_violations(page) == []

    page.get_by_text("Bottle…").click()
    assert axe_violations(page) == []

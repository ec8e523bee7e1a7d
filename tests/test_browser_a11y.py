"""Screen readers and voice control on a phone: every control has a short name of its
own, after Start or Strain the focus is on what changed and a polite live region says
what happened, and axe-core finds nothing wrong on the pages, light and dark."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kefir_tracker.batches.models import Base, Batch
from kefir_tracker.grains.models import Kind, Status
from tests.browser import wait_for_worker
from tests.checkers import axe_violations
from tests.factories import make_batch, make_culture, make_tasting, make_weighing

pytestmark = pytest.mark.browser

CONTROLS = {"button", "link", "DisclosureTriangle", "combobox", "textbox", "checkbox", "radio"}


def controls(page):
    """(role, accessible name) of every control on the page, as Chromium tells
    assistive technology (a <summary> is a "DisclosureTriangle", a button)."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    return [
        (node["role"]["value"], node.get("name", {}).get("value", ""))
        for node in nodes
        if not node.get("ignored") and node["role"]["value"] in CONTROLS
    ]


def focused_card(page):
    return page.evaluate("document.activeElement.closest('article')?.id ?? ''")


@pytest.fixture
def kitchen(owner):
    """Asked for before ``signed_in_page``, so that Today shows it when the page opens."""
    now = timezone.now()
    little_b = make_culture(owner, "Little B")
    make_batch(
        little_b, started_at=now - timedelta(hours=30), strained_at=now - timedelta(hours=12)
    )
    little_b_now = make_batch(little_b, started_at=now - timedelta(hours=9))
    tibicos = make_culture(owner, "Tibicos", kind=Kind.WATER)
    make_batch(tibicos, started_at=now - timedelta(hours=20))
    babushka = make_culture(owner, "Babushka")
    last = make_batch(
        babushka,
        base=Base.SOY,
        volume_ml=Decimal(400),
        started_at=now - timedelta(days=2),
        strained_at=now - timedelta(days=1),
    )
    make_tasting(last, rating=5, notes="Thick")
    make_weighing(babushka, 30, weighed_at=timezone.now() - timedelta(days=8))
    make_weighing(babushka, 34)
    make_culture(owner, "Fridge jar", status=Status.RESTING)
    return {"little_b": little_b_now, "babushka": babushka, "last": last}


def test_every_control_on_today_has_a_short_name_of_its_own(kitchen, signed_in_page):
    page = signed_in_page
    found = controls(page)
    names = [name for _, name in found]

    assert ("button", "Strain Little B") in found
    assert ("button", "Strain Tibicos") in found
    assert ("DisclosureTriangle", "Start batch with Babushka") in found
    assert ("DisclosureTriangle", "Start batch with Fridge jar") in found
    assert ("link", "More… about Little B") in found
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert duplicates == []
    assert [name for name in names if len(name) > 32] == []
    expect(page.get_by_role("button", name="Strain Little B", exact=True)).to_have_count(1)


def test_after_start_and_strain_the_focus_is_on_the_card_and_the_news_is_announced(
    kitchen, signed_in_page
):
    page = signed_in_page
    status = page.get_by_role("status")
    expect(status).to_have_count(1)
    expect(status).to_have_attribute("id", "messages")

    card = page.locator(".start-card", has_text="Babushka")
    card.locator("summary").click()
    card.get_by_label("Volume (ml)").fill("500")
    card.get_by_role("button", name="Start", exact=True).click()

    expect(status).to_have_text("Started batch 2 of Babushka in soy milk.")
    started = Batch.objects.get(culture=kitchen["babushka"], strained_at=None)
    expect(page.locator(f"#batch-{started.pk}")).to_be_visible()
    assert focused_card(page) == f"batch-{started.pk}"

    page.get_by_role("button", name="Strain Little B", exact=True).click()
    expect(status).to_have_text("Strained batch 2 of Little B.")
    assert focused_card(page) == f"batch-{kitchen['little_b'].pk}"
    expect(page.locator(f"#batch-{kitchen['little_b'].pk}")).to_contain_text("Strained")
    assert axe_violations(page) == []


def test_after_strain_on_the_batch_page_the_focus_is_on_its_heading(
    signed_in_page, live_server, kitchen
):
    page = signed_in_page
    batch = kitchen["little_b"]
    page.goto(f"{live_server.url}{batch.get_absolute_url()}")
    page.get_by_role("button", name="Strain", exact=True).click()

    expect(page.get_by_role("status")).to_have_text("Strained batch 2 of Little B.")
    assert page.evaluate("document.activeElement.id") == "batch-heading"


def test_after_weighing_the_focus_is_on_the_grains_heading(signed_in_page, live_server, kitchen):
    page = signed_in_page
    page.goto(f"{live_server.url}{kitchen['babushka'].get_absolute_url()}")
    page.get_by_text("Weigh", exact=True).click()
    page.get_by_label("Weight (g)").fill("36")
    page.get_by_role("button", name="Save weight").click()

    expect(page.get_by_role("status")).to_have_text("Weighed Babushka: 36 g.")
    assert page.evaluate("document.activeElement.id") == "culture-heading"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_pages(signed_in_page, live_server, kitchen, scheme):
    page = signed_in_page
    page.emulate_media(color_scheme=scheme)
    url = live_server.url
    babushka = kitchen["babushka"].get_absolute_url()
    pages = {
        "Today": "/",
        "Today, a start form open": f"/?start={kitchen['babushka'].pk}",
        "History, filters open": "/history/?form=filters",
        "a fermenting batch": kitchen["little_b"].get_absolute_url(),
        "a tasted batch, edit open": f"{kitchen['last'].get_absolute_url()}?form=edit",
        "grains": babushka,
        "grains, split open": f"{babushka}?form=split",
        "all grains": "/grains/",
        "lineages": "/grains/lineage/",
        "insights": "/insights/",
        "account": "/account/",
    }
    found = {}
    for name, path in pages.items():
        page.goto(f"{url}{path}")
        found[name] = axe_violations(page)
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{url}/account/sign-up/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password", exact=True).fill("kefir1")
    page.get_by_label("Password confirmation").fill("kefir2")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("This password is too short")).to_be_visible()
    found["sign-up with errors"] = axe_violations(page)

    assert {name: problems for name, problems in found.items() if problems} == {}


def test_axe_reports_what_it_should(page):
    """axe_violations, as the tests above call it, does find a problem."""
    page.set_content('<!doctype html><html lang="en"><title>t</title><img src="x.png"></html>')
    assert any(line.startswith("image-alt") for line in axe_violations(page))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_the_offline_states(signed_in_page, live_server, kitchen, scheme):
    """Forms waiting to send and one needing attention, the offline banner, the offline
    page and a folded form that could not load (static/js/outbox.js, /sw.js)."""
    page = signed_in_page
    page.emulate_media(color_scheme=scheme)
    url = live_server.url
    wait_for_worker(page)
    page.goto(f"{url}/")
    found = {}
    card = page.locator(".start-card", has_text="Babushka")
    card.locator("summary").click()
    card.get_by_label("Volume (ml)").fill("500")
    page.context.set_offline(True)
    page.get_by_role("button", name="Strain Little B", exact=True).click()
    card.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator(".outbox-waiting")).to_have_count(2)
    found["waiting to send"] = axe_violations(page)
    page.reload()
    expect(page.locator("#offline-banner")).to_be_visible()
    found["offline banner, kept forms"] = axe_violations(page)
    page.goto(f"{url}/grains/lineage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Offline")
    found["offline page"] = axe_violations(page)
    page.go_back()
    make_batch(kitchen["babushka"], started_at=timezone.now() - timedelta(minutes=1))
    page.context.set_offline(False)
    expect(page.locator(".outbox-attention")).to_have_count(1)
    found["needs attention"] = axe_violations(page)
    page.goto(f"{url}{kitchen['babushka'].get_absolute_url()}")
    page.context.set_offline(True)
    page.get_by_text("Weigh", exact=True).click()
    expect(page.locator(".send-note")).to_be_visible()
    found["a form that could not load"] = axe_violations(page)
    page.context.set_offline(False)

    assert {name: problems for name, problems in found.items() if problems} == {}

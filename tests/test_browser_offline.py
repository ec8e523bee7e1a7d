"""A phone in a kitchen with a bad connection: the app installs, its worker keeps the
pages last seen, and a form sent while offline is kept on the phone and stored once,
at the time it was pressed, when the connection is back (or shown, if refused).

On ``localhost`` (a secure context), so that the service worker registers.
"""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.template import loader
from django.utils import timezone
from playwright.sync_api import expect

from kefir_tracker.batches.models import Batch
from tests.browser import back_online, sign_in_through_the_form, wait_for_worker
from tests.factories import make_batch, make_culture

pytestmark = pytest.mark.browser

# The gap between pressing a button offline and the connection coming back: long
# enough that a batch stored at its arrival would be told apart from one stored at
# the press.
GAP_SECONDS = 3


@pytest.fixture
def kitchen(owner):
    little_b = make_culture(owner, "Little B")
    fermenting = make_batch(little_b, started_at=timezone.now() - timedelta(hours=20))
    babushka = make_culture(owner, "Babushka")
    return {"fermenting": fermenting, "babushka": babushka}


def open_start_form(page, culture_name):
    card = page.locator(".start-card", has_text=culture_name)
    card.locator("summary", has_text="Start batch").click()
    expect(card.get_by_label("Volume (ml)")).to_be_visible()
    return card


def test_the_app_installs_and_the_worker_controls_the_page(
    kitchen,
    browser_type,
    browser_type_launch_args,
    browser_context_args,
    live_server,
    owner,
    tmp_path,
):
    # A profile of its own: Chromium never offers to install from an incognito one,
    # which is what Playwright's usual contexts are.
    context = browser_type.launch_persistent_context(
        tmp_path, **browser_type_launch_args, **browser_context_args
    )
    try:
        page = sign_in_through_the_form(context.new_page(), live_server, owner)
        wait_for_worker(page)
        cdp = context.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        manifest = cdp.send("Page.getAppManifest")
        cdp.detach()
        assert errors == []
        assert manifest["errors"] == []
        assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")
    finally:
        context.close()


def test_a_start_and_a_strain_made_offline_are_sent_once_with_the_times_pressed(
    kitchen, signed_in_page
):
    page = signed_in_page
    wait_for_worker(page)
    start_card = open_start_form(page, "Babushka")
    start_card.get_by_label("Volume (ml)").fill("500")
    start_card.get_by_label("Grains in (g)").fill("25")

    page.context.set_offline(True)
    strain_card = page.locator(f"#batch-{kitchen['fermenting'].pk}")
    strain_pressed = timezone.now()
    strain_card.get_by_role("button", name="Strain Little B").click()
    expect(strain_card).to_contain_text("Waiting to send: Strain Little B, pressed ")
    start_pressed = timezone.now()
    start_card.get_by_role("button", name="Start", exact=True).click()
    expect(start_card).to_contain_text("Waiting to send: Start · Babushka")
    expect(start_card).to_contain_text("You typed: Base cow milk · Volume (ml) 500")

    # Kept on the phone: a reload offline shows the kept page and the kept forms.
    page.reload()
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator("#outbox")).to_contain_text("Waiting to send: Start · Babushka")
    time.sleep(GAP_SECONDS)
    assert not Batch.objects.filter(culture=kitchen["babushka"]).exists()
    back_online = timezone.now()
    page.context.set_offline(False)

    expect(page.locator(".outbox-note")).to_have_count(0, timeout=15000)
    started = Batch.objects.get(culture=kitchen["babushka"])
    strained = Batch.objects.get(pk=kitchen["fermenting"].pk)
    assert abs(strained.strained_at - strain_pressed) < timedelta(seconds=2)
    assert abs(started.started_at - start_pressed) < timedelta(seconds=2)
    assert started.started_at < back_online - timedelta(seconds=GAP_SECONDS - 1)
    assert started.volume_ml == 500
    # Each stored once, however often it was tried.
    assert Batch.objects.filter(culture__owner=kitchen["babushka"].owner).count() == 2

    page.reload()
    expect(page.locator(f"#batch-{started.pk}")).to_contain_text("Babushka")
    expect(page.locator(f"#batch-{strained.pk}")).to_contain_text("Strained")


def test_a_kept_form_the_server_refuses_is_shown_with_what_was_typed(kitchen, signed_in_page):
    page = signed_in_page
    wait_for_worker(page)
    card = open_start_form(page, "Babushka")
    card.get_by_label("Volume (ml)").fill("750")
    card.get_by_label("Grains in (g)").fill("30")
    page.context.set_offline(True)
    card.get_by_role("button", name="Start", exact=True).click()
    expect(card).to_contain_text("Waiting to send")
    # Meanwhile, from another phone: the grains started a batch.
    make_batch(kitchen["babushka"], started_at=timezone.now() - timedelta(minutes=5))
    page.context.set_offline(False)

    note = page.locator(".outbox-attention")
    expect(note).to_contain_text("Needs your attention — not saved: Start · Babushka")
    expect(note).to_contain_text("Babushka are fermenting batch #1")
    expect(note).to_contain_text("Volume (ml) 750")
    assert Batch.objects.filter(culture=kitchen["babushka"]).count() == 1
    # Not dropped: still there on the next visit, until the person decides.
    page.reload()
    expect(page.locator("#outbox .outbox-attention")).to_contain_text("Grains in (g) 30")


def test_without_a_service_worker_a_failed_post_says_not_sent_and_keeps_it(
    kitchen, browser, browser_context_args, live_server, owner
):
    context = browser.new_context(**browser_context_args, service_workers="block")
    page = sign_in_through_the_form(context.new_page(), live_server, owner)
    context.set_offline(True)
    card = page.locator(f"#batch-{kitchen['fermenting'].pk}")
    card.get_by_role("button", name="Strain Little B").click()
    expect(card).to_contain_text("Not sent — check the connection; what you typed is kept.")
    card.get_by_role("button", name="Retry").click()  # still offline: still kept
    expect(card).to_contain_text("Not sent — check the connection; what you typed is kept.")
    assert Batch.objects.get(pk=kitchen["fermenting"].pk).strained_at is None
    context.set_offline(False)  # the page sends it when the browser is online again
    expect(page.locator(f"#batch-{kitchen['fermenting'].pk}")).to_contain_text("Strained")
    assert Batch.objects.get(pk=kitchen["fermenting"].pk).strained_at is not None
    context.close()


def test_a_folded_form_that_failed_to_load_loads_when_opened_again(
    kitchen, signed_in_page, live_server
):
    page = signed_in_page
    page.goto(f"{live_server.url}{kitchen['babushka'].get_absolute_url()}")
    page.context.set_offline(True)
    weigh = page.locator("#weigh-action")
    weigh.locator("summary").click()
    expect(weigh).to_contain_text("Could not load the form — check the connection.")
    page.context.set_offline(False)
    weigh.locator("summary").click()  # closed
    weigh.locator("summary").click()  # opened again
    expect(weigh.get_by_label("Weight (g)")).to_be_visible()
    expect(weigh).not_to_contain_text("Could not load")


def test_an_expired_session_sends_an_htmx_tap_to_sign_in_and_back(
    kitchen, signed_in_page, live_server, owner
):
    page = signed_in_page
    Session.objects.all().delete()
    page.locator(f"#batch-{kitchen['fermenting'].pk}").get_by_role(
        "button", name="Strain Little B"
    ).click()
    page.wait_for_url(re.compile(r"/account/sign-in/\?next=%2F$"))
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    expect(page.locator(".batch-card")).to_have_count(0)  # not the sign-in page in a card
    page.get_by_label("Username").fill(owner.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def test_offline_the_last_seen_page_shows_with_the_banner_and_an_unseen_one_the_offline_page(
    kitchen, signed_in_page, live_server
):
    page = signed_in_page
    url = live_server.url
    wait_for_worker(page)
    page.goto(f"{url}/insights/")
    page.goto(f"{url}/history/")
    page.goto(f"{url}/")
    seen_at = page.locator("#offline-banner time").text_content()
    page.context.set_offline(True)

    page.goto(f"{url}/insights/")
    banner = page.locator("#offline-banner")
    expect(banner).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Insights")
    page.goto(f"{url}/history/")
    expect(banner).to_be_visible()
    expect(banner).to_have_text(f"Offline — showing what you saw at {seen_at}")
    assert re.fullmatch(r"\d\d:\d\d", seen_at)
    expect(page.get_by_role("heading", level=1)).to_contain_text("History")

    page.goto(f"{url}{kitchen['babushka'].get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Offline")

    page.go_back()
    expect(banner).to_be_visible()
    back_online(page)
    expect(banner).to_have_text(f"Back online — this page is from {seen_at}. Show it as it is now")
    banner.get_by_role("link", name="Show it as it is now").click()
    expect(page.locator("#offline-banner")).to_be_hidden()


def test_signing_out_forgets_the_pages_kept_for_offline(kitchen, signed_in_page, live_server):
    page = signed_in_page
    url = live_server.url
    wait_for_worker(page)
    page.goto(f"{url}/")
    assert page.evaluate("caches.open('kefir-pages').then(c => c.keys()).then(k => k.length)") > 0
    page.goto(f"{url}/account/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile("/account/sign-in/"))
    for _ in range(50):  # the page forgets them as it loads
        if not page.evaluate("caches.has('kefir-pages')"):
            break
        time.sleep(0.1)
    assert not page.evaluate("caches.has('kefir-pages')")
    page.context.set_offline(True)
    page.goto(f"{url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Offline")
    expect(page.locator("body")).not_to_contain_text("Little B")
    page.context.set_offline(False)


def test_a_server_error_is_told_next_to_the_button_with_the_servers_message(
    kitchen, signed_in_page
):
    page = signed_in_page
    card = page.locator(f"#batch-{kitchen['fermenting'].pk}")
    page.route(
        "**/strain/",
        lambda route: route.fulfill(
            status=507, content_type="text/plain; charset=utf-8", body="The disk is full."
        ),
    )
    card.get_by_role("button", name="Strain Little B").click()
    expect(card).to_contain_text("Not saved — The disk is full.")
    expect(page.get_by_role("status")).to_have_text("Not saved: The disk is full.")
    page.unroute("**/strain/")
    card.get_by_role("button", name="Try again").click()
    expect(card).to_contain_text("Strained")
    expect(card).not_to_contain_text("Not saved")


def test_a_server_error_page_is_told_by_its_heading_and_sentence(kitchen, signed_in_page):
    """The app's own 500 page, as an htmx answer: what it says, not its "Error 500"."""
    page = signed_in_page
    card = page.locator(f"#batch-{kitchen['fermenting'].pk}")
    error_page = loader.render_to_string("500.html")
    page.route(
        "**/strain/",
        lambda route: route.fulfill(status=500, content_type="text/html", body=error_page),
    )
    card.get_by_role("button", name="Strain Little B").click()
    expect(card).to_contain_text("Not saved — Something went wrong: Kefir Tracker could not")
    expect(card).not_to_contain_text("Error 500")
    assert Batch.objects.get(pk=kitchen["fermenting"].pk).strained_at is None


def test_a_post_with_no_answer_in_time_is_kept_and_sent_once(kitchen, signed_in_page):
    page = signed_in_page
    wait_for_worker(page)
    page.evaluate("htmx.config.timeout = KefirOutbox.timeoutMs = 1000")
    page.route("**/strain/", lambda route: None)  # the kitchen Wi-Fi: nothing comes back
    card = page.locator(f"#batch-{kitchen['fermenting'].pk}")
    card.get_by_role("button", name="Strain Little B").click()
    expect(card).to_contain_text("Waiting to send: Strain Little B")
    time.sleep(1.5)  # a try to send it again hangs too, and is given up
    page.unroute("**/strain/")
    card.get_by_role("button", name="Send now").click()
    expect(page.locator(f"#batch-{kitchen['fermenting'].pk}")).to_contain_text("Strained")
    expect(page.locator(".outbox-note")).to_have_count(0)
    assert Batch.objects.get(pk=kitchen["fermenting"].pk).strained_at is not None


def test_forms_kept_for_someone_else_on_this_phone_are_neither_shown_nor_sent(
    kitchen, signed_in_page, other_user
):
    page = signed_in_page
    batch = kitchen["fermenting"]
    # What another person signed in on this phone kept (and has not sent yet).
    page.evaluate(
        """([url, user]) => KefirOutbox.put({
            id: crypto.randomUUID(), user: user, url: url, page: location.href,
            fields: [["next", "/"]], target: "", swap: "outerHTML", what: "Strain Little B",
            shown: [["Notes", "a secret"]], pressedAt: new Date().toISOString(),
            token: "", state: "waiting"})""",
        [f"/batches/{batch.pk}/strain/", str(other_user.pk)],
    )
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".outbox-note")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("a secret")
    batch.refresh_from_db()
    assert batch.strained_at is None
    assert page.evaluate("KefirOutbox.all().then((items) => items.length)") == 1

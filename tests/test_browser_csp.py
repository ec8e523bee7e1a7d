"""htmx under the production Content-Security-Policy, in a real browser on a phone.

The policy (kefir_tracker/security.py) is on every response, also under
live_server. Chromium reports each thing the policy blocks on the console
("Refused to …") and as a securitypolicyviolation event, which an init script
(run by the browser, outside the page's policy) copies to the console too.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kefir_tracker.batches.models import Batch
from tests.browser import assert_no_horizontal_overflow, sign_in_through_the_form
from tests.factories import make_batch, make_culture, make_tasting

pytestmark = pytest.mark.browser

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""
CSP_WORDS = re.compile(r"Refused to|Content Security Policy|CSP violation", re.IGNORECASE)


@pytest.fixture
def watched_page(page, live_server, owner, culture):
    """A phone page signed in through the form, collecting console messages, page
    errors and the CSP header of every HTML response."""
    page.console_lines, page.page_errors, page.policies = [], [], {}
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda message: page.console_lines.append(message.text))
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))

    def remember_policy(response):
        if "text/html" in response.headers.get("content-type", ""):
            page.policies[response.url] = response.headers.get("content-security-policy")

    page.on("response", remember_policy)
    return sign_in_through_the_form(page, live_server, owner)


def assert_no_policy_trouble(page):
    blocked = [line for line in page.console_lines if CSP_WORDS.search(line)]
    assert blocked == [], blocked
    assert page.page_errors == []
    for url, policy in page.policies.items():
        assert policy, f"{url} came without a Content-Security-Policy"
        script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
        assert script_src == "script-src 'self'", url
        assert "unsafe-inline" not in policy, url
        assert "unsafe-eval" not in policy, url


def test_htmx_starts_and_strains_a_batch_under_the_policy_without_a_reload(
    watched_page, live_server, culture
):
    page = watched_page
    response = page.goto(f"{live_server.url}/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    page.evaluate("window.__marker = 'still here'")

    card = page.locator(".start-card", has_text="Babushka")
    card.locator("summary", has_text="Start batch").click()
    card.get_by_label("Volume (ml)").fill("500")
    card.get_by_label("Grains in (g)").fill("25")
    card.get_by_role("button", name="Start", exact=True).click()
    fermenting = page.locator(".batch-card", has_text="Babushka")
    expect(fermenting).to_contain_text("500 ml")

    fermenting.get_by_role("button", name="Strain").click()
    expect(fermenting).to_contain_text("Strained")
    assert page.evaluate("window.__marker") == "still here", "the page was reloaded"
    assert Batch.objects.get().strained_at is not None
    assert_no_horizontal_overflow(page)
    assert_no_policy_trouble(page)


def test_no_page_breaks_the_policy(watched_page, live_server, owner, culture):
    page = watched_page
    now = timezone.now()
    batch = make_batch(
        culture, started_at=now - timedelta(hours=30), strained_at=now - timedelta(hours=6)
    )
    make_tasting(batch, rating=5, notes="thick and tangy")
    make_culture(owner, "Little B", parent=culture, origin="split")
    make_batch(culture)  # one fermenting, for Today's progress bar

    url = live_server.url
    for path in [
        "/",
        "/history/",
        batch.get_absolute_url(),
        culture.get_absolute_url(),
        "/grains/lineage/",
        "/grains/",
        "/insights/",
    ]:
        page.goto(f"{url}{path}")
        page.wait_for_load_state("networkidle")

    # htmx requests under the policy: a History search and a folded form on the culture page.
    page.goto(f"{url}/history/")
    page.get_by_placeholder("Search notes, flavourings…").fill("tangy")
    expect(page.locator("#history-results")).to_contain_text("Babushka")
    page.goto(f"{url}{culture.get_absolute_url()}")
    page.locator("summary", has_text=re.compile("^Weigh$", re.IGNORECASE)).click()
    page.wait_for_load_state("networkidle")

    assert len(page.policies) >= 7
    assert_no_policy_trouble(page)

"""Signing up on a phone takes the phone's time zone, clock and date order."""

import re

import pytest
from playwright.sync_api import expect

from kefir_tracker.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def the_owner_set_the_installation_up(owner):
    """Sign-up is for the rest of the household: a new installation opens on first-run."""


def sign_up_on(page, live_server, username):
    page.goto(f"{live_server.url}/account/sign-up/")
    page.get_by_label("Username").fill(username)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{live_server.url}/")
    return User.objects.get(username=username)


@pytest.fixture
def phone(browser, browser_context_args):
    """A new phone-sized browser context with the given options (zone, locale, script)."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(**{**browser_context_args, **options})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_a_phone_in_chicago_signs_up_on_a_12_hour_clock_with_the_month_first(phone, live_server):
    page = phone(timezone_id="America/Chicago", locale="en-US")
    user = sign_up_on(page, live_server, "chicago")
    assert (user.time_zone, user.clock_hours, user.date_order) == ("America/Chicago", "12", "md")
    expect(page.locator(".messages")).to_contain_text(
        "Times are shown in America/Chicago on a 12-hour clock"
    )


def test_a_phone_in_london_signs_up_on_a_24_hour_clock_with_the_day_first(phone, live_server):
    page = phone(timezone_id="Europe/London", locale="en-GB")
    user = sign_up_on(page, live_server, "london")
    assert (user.time_zone, user.clock_hours, user.date_order) == ("Europe/London", "24", "dm")


def test_an_australian_phone_has_a_12_hour_clock_and_the_day_first(phone, live_server):
    page = phone(timezone_id="Australia/Sydney", locale="en-AU")
    user = sign_up_on(page, live_server, "sydney")
    assert (user.time_zone, user.clock_hours, user.date_order) == ("Australia/Sydney", "12", "dm")


def test_without_javascript_the_server_defaults_stay(phone, live_server, settings):
    page = phone(timezone_id="Asia/Tokyo", locale="ja-JP", java_script_enabled=False)
    user = sign_up_on(page, live_server, "noscript")
    assert (user.time_zone, user.clock_hours, user.date_order) == (settings.TIME_ZONE, "24", "dm")

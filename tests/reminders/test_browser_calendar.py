"""The account page's Reminders and Calendar cards on a phone, with htmx: what is said
and where the focus goes after each tap, the link copied in one tap, and axe-core
finding nothing wrong in any state, light and dark."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from kefir_tracker.reminders.models import CalendarFeed
from tests.browser import assert_no_horizontal_overflow
from tests.checkers import axe_violations

pytestmark = pytest.mark.browser


def test_making_copying_and_turning_off_the_link(signed_in_page, live_server, owner):
    page = signed_in_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/account/")
    status = page.get_by_role("status")

    page.get_by_role("button", name="Make a calendar link").click()

    expect(status).to_have_text(re.compile(r"^Made your calendar link\. Copy it now"))
    assert page.evaluate("document.activeElement.id") == "calendar-heading"
    field = page.get_by_label("Your calendar link")
    link = field.input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/calendar/[A-Za-z0-9_-]{{43}}\.ics", link)
    subscribe = page.get_by_role("link", name="Subscribe on this phone")
    assert subscribe.get_attribute("href") == "webcal://" + link.split("://", 1)[1]
    assert Client().get(link.removeprefix(live_server.url)).status_code == 200

    page.get_by_role("button", name="Copy link").click()

    expect(status).to_have_text("Copied the link: paste it into your calendar app.")
    assert page.evaluate("navigator.clipboard.readText()") == link

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Turn off link").click()

    expect(status).to_have_text(re.compile(r"^Turned off your calendar link"))
    expect(page.get_by_text("You have no calendar link.")).to_be_visible()
    assert not CalendarFeed.objects.filter(owner=owner).exists()
    assert Client().get(link.removeprefix(live_server.url)).status_code == 404


def test_quiet_hours_by_half_are_refused_in_place_then_saved(signed_in_page, live_server, owner):
    page = signed_in_page
    page.goto(f"{live_server.url}/account/")
    card = page.locator("#reminders")
    card.get_by_label("Grains due fresh milk or sugar water").uncheck()
    card.get_by_label("From").fill("22:00")

    card.get_by_role("button", name="Save reminders").click()

    expect(card.get_by_text("Give the end too, or leave both empty.")).to_be_visible()
    expect(card.get_by_label("From")).to_have_value("22:00")
    expect(card.get_by_label("Grains due fresh milk or sugar water")).not_to_be_checked()
    owner.refresh_from_db()
    assert owner.quiet_from is None
    assert owner.remind_grains is True

    card.get_by_label("Until").fill("07:00")
    card.get_by_role("button", name="Save reminders").click()

    expect(page.get_by_role("status")).to_have_text("Reminder choices saved.")
    assert page.evaluate("document.activeElement.id") == "reminders-heading"
    owner.refresh_from_db()
    assert (f"{owner.quiet_from:%H:%M}", f"{owner.quiet_until:%H:%M}") == ("22:00", "07:00")
    assert owner.remind_grains is False


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_the_cards_states(signed_in_page, live_server, scheme):
    page = signed_in_page
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live_server.url}/account/")
    found = {"no link": axe_violations(page)}
    assert_no_horizontal_overflow(page)

    page.get_by_role("button", name="Make a calendar link").click()
    expect(page.get_by_label("Your calendar link")).to_be_visible()
    found["link just made"] = axe_violations(page)
    assert_no_horizontal_overflow(page)

    page.goto(f"{live_server.url}/account/")
    expect(page.get_by_text("You made a calendar link on")).to_be_visible()
    found["link made before"] = axe_violations(page)

    page.locator("#reminders").get_by_label("Until").fill("07:00")
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_text("Give the start too, or leave both empty.")).to_be_visible()
    found["quiet hours refused"] = axe_violations(page)

    assert {state: problems for state, problems in found.items() if problems} == {}

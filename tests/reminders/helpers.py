"""Reading the calendar a person gets: the link from the account page, the feed parsed
back with the icalendar library."""

import re
from datetime import UTC, timedelta
from decimal import Decimal
from html import unescape

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from kefir_tracker.grains.models import Kind, Status
from tests.factories import make_batch, make_culture

LINK = re.compile(r'id="calendar-link" type="url" value="([^"]+)"')


def make_link_on_the_account_page(client) -> str:
    """Tap "Make a calendar link" (a plain post) and read the link from the page it leads
    to: the path of the feed, e.g. /calendar/<token>.ics."""
    response = client.post(reverse("reminders:new_link"))
    assert response.status_code == 302
    page = client.get(response.url)
    found = LINK.search(page.text)
    assert found, "the account page does not show the new link"
    link = unescape(found.group(1))
    assert link.startswith("http://testserver/calendar/")
    return link.removeprefix("http://testserver")


def events(response) -> dict:
    """UID -> VEVENT of a calendar answer."""
    assert response.status_code == 200, response.status_code
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def by_summary(found: dict) -> dict:
    return {str(event["SUMMARY"]): event for event in found.values()}


def utc(value):
    return value.dt.astimezone(UTC)


def kitchen(owner):
    """A fermenting batch, a bottled water kefir (burped twice a day), grains resting in
    the fridge: something of every topic a person may be reminded of."""
    now = timezone.now()
    babushka = make_culture(owner, "Babushka")
    fermenting = make_batch(babushka, started_at=now - timedelta(hours=3))
    tibicos = make_culture(owner, "Tibicos", kind=Kind.WATER)
    bottled = make_batch(
        tibicos,
        started_at=now - timedelta(hours=50),
        strained_at=now - timedelta(hours=6),
        bottled_at=now - timedelta(hours=5),
        flavourings="ginger",
        sugar_g=Decimal(50),
    )
    resting = make_culture(
        owner, "Fridge jar", status=Status.RESTING, rest_milk_changed_at=now - timedelta(days=2)
    )
    return {"fermenting": fermenting, "bottled": bottled, "resting": resting}

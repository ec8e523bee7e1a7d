"""A second, independent reader of our iCalendar: Mozilla's ical.js, the parser of
Thunderbird's calendar (tests/checkers/ical-summary.mjs). It must read the feed and
the one-off file, and find in them what the icalendar library finds: the same
events, at the same times, with alarms ringing at the same moments."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.reminders.models import make_link
from tests.checkers import ICalendarRefused, ical_js
from tests.factories import make_batch, make_culture
from tests.reminders.helpers import events, kitchen, utc


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _alarm_moment(event) -> datetime:
    [alarm] = event.walk("VALARM")
    trigger = alarm["TRIGGER"].dt
    return (
        utc(event["DTSTART"]) + trigger if isinstance(trigger, timedelta) else utc(alarm["TRIGGER"])
    )


def _same_as_icalendar_reads(response, read):
    ours = events(response)
    assert {event["uid"] for event in read["events"]} == set(ours)
    for event in read["events"]:
        mine = ours[event["uid"]]
        assert event["summary"] == str(mine["SUMMARY"])
        assert event["description"] == str(mine["DESCRIPTION"])
        assert event["url"] == str(mine["URL"])
        assert event["start"] == _iso(utc(mine["DTSTART"]))
        assert event["end"] == _iso(utc(mine["DTEND"]))
        assert event["startIsUtc"] is True
        [alarm] = event["alarms"]
        assert alarm["action"] == "DISPLAY"
        assert alarm["description"] == event["summary"]
        assert alarm["at"] == _iso(_alarm_moment(mine))


@pytest.fixture
def strange_names(owner):
    """Names that need escaping and folding: commas, semicolons, a backslash, emoji,
    right-to-left text, and one longer than a line of iCalendar."""
    now = timezone.now()
    for name in ("Babushka, the; first\\one 🥛🍶", "كفير الحليب من جدتي", "K" * 70 + " é"):
        make_batch(make_culture(owner, name), started_at=now - timedelta(hours=2))


def test_ical_js_reads_the_feed_as_the_icalendar_library_does(owner, strange_names):
    kitchen(owner)
    token = make_link(owner)
    response = Client().get(f"/calendar/{token}.ics")

    read = ical_js(response.content)

    assert read["name"] == "vcalendar"
    assert read["version"] == "2.0"
    assert read["prodid"] == "-//Kefir Tracker//Reminders//EN"
    assert read["method"] == "PUBLISH"
    assert read["calscale"] == "GREGORIAN"
    assert read["calendarName"] == read["wrCalname"] == "Kefir — olga"
    assert read["refreshInterval"] == {"type": "duration", "seconds": 3600}
    assert len(read["events"]) == 11
    assert "Babushka, the; first\\one 🥛🍶 #1 should be ready" in [
        e["summary"] for e in read["events"]
    ]
    _same_as_icalendar_reads(response, read)


def test_ical_js_rings_a_moved_alarm_when_the_quiet_hours_end(owner, owner_client):
    owner.time_zone = "America/New_York"
    owner.save()
    make_batch(make_culture(owner, "Babushka"), started_at=timezone.now())
    token = make_link(owner)
    link = f"/calendar/{token}.ics"
    [before] = ical_js(Client().get(link).content)["events"]
    ready = datetime.fromisoformat(before["start"]).astimezone(ZoneInfo("America/New_York"))
    quiet_until = (ready + timedelta(minutes=90)).replace(second=0)
    owner_client.post(
        reverse("accounts:reminders"),
        {
            "remind_ready": "on",
            "quiet_from": f"{ready - timedelta(hours=1):%H:%M}",
            "quiet_until": f"{quiet_until:%H:%M}",
        },
    )
    response = Client().get(link)

    read = ical_js(response.content)

    [event] = read["events"]
    [alarm] = event["alarms"]
    assert event["start"] == before["start"]
    assert alarm["type"] == "date-time"
    assert alarm["at"] == _iso(quiet_until)
    _same_as_icalendar_reads(response, read)


def test_ical_js_reads_the_file_of_one_batch(owner_client, owner):
    kitchen(owner)
    batch = make_batch(make_culture(owner, "Little B 🥛"), started_at=timezone.now())
    response = owner_client.get(reverse("reminders:batch_calendar", args=[batch.pk]))

    read = ical_js(response.content)

    [event] = read["events"]
    assert event["summary"] == "Little B 🥛 #1 should be ready"
    assert read["calendarName"] is None  # added to the person's own calendar, not a new one
    _same_as_icalendar_reads(response, read)


def test_ical_js_refuses_what_is_not_valid_icalendar():
    """The checker, as the tests above call it, does refuse a broken calendar, and an
    absolute alarm written without VALUE=DATE-TIME (what icalendar's Alarm.TRIGGER
    setter writes, and why calendar.py says it)."""
    with pytest.raises(ICalendarRefused, match="component began but did not end"):
        ical_js(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\n")
    absolute_without_value = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\n"
        "DTSTAMP:20261202T100000Z\r\nDTSTART:20261202T100000Z\r\nSUMMARY:x\r\n"
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\nTRIGGER:20261202T110000Z\r\n"
        "END:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with pytest.raises(ICalendarRefused, match="invalid duration"):
        ical_js(absolute_without_value.encode())

"""Reminders as iCalendar (RFC 5545, and RFC 7986's NAME and REFRESH-INTERVAL): the
feed a phone's calendar subscribes to, and one batch's file to add once.

Every event's UID is its reminder's key at this installation ("batch-12-ready@…"),
so a calendar that reads the feed again updates the events it has rather than
adding them twice. Times are UTC; the calendar shows them in the phone's zone.
"""

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.crypto import salted_hmac
from icalendar import Alarm, Calendar, Event, vDuration

from kefir_tracker.reminders.due import Reminder

PRODID = "-//Kefir Tracker//Reminders//EN"
# What a subscribed calendar is asked to wait between reads. Apps decide for
# themselves (Apple's read hourly at best, Google's every few hours to a day).
REFRESH_EVERY = timedelta(hours=1)
# A reminder without a window of its own (ready, burp, fresh milk) lasts this long.
EVENT_LENGTH = timedelta(minutes=15)


def installation_id() -> str:
    """The part after the "@" of every UID: the same for as long as this installation
    keeps its secret key, whatever address a calendar reads it from (a phone may use
    the LAN address, a laptop the host name), and telling nothing about either."""
    return "kefir-tracker-" + salted_hmac("reminders.calendar.uid", "installation").hexdigest()[:20]


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def event(reminder: Reminder, absolute_url: str, *, uid_suffix: str = "", stamp=None) -> Event:
    """One reminder as a VEVENT, with an alarm at its ``at``: at the start (relative,
    so a calendar that moves the event moves its alarm), or at the moment the quiet
    hours end."""
    start = _utc(reminder.due_at)
    end = _utc(reminder.until) if reminder.until and reminder.until > reminder.due_at else None
    item = Event()
    item.add("uid", f"{reminder.key}{uid_suffix}@{installation_id()}")
    item.add("dtstamp", _utc(stamp or timezone.now()))
    item.add("dtstart", start)
    item.add("dtend", end or start + EVENT_LENGTH)
    item.add("summary", reminder.title)
    item.add("description", f"{reminder.body}\n\n{absolute_url}")
    item.add("url", absolute_url)
    item.add("transp", "TRANSPARENT")  # a reminder, not a meeting: the person is not busy
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", reminder.title)
    if _utc(reminder.at) == start:
        alarm.add("trigger", timedelta(0), parameters={"RELATED": "START"})
    else:
        # icalendar leaves VALUE out, and a parser then reads the moment as a duration
        # (ical.js refuses it): RFC 5545 wants it said.
        alarm.add("trigger", _utc(reminder.at), parameters={"VALUE": "DATE-TIME"})
    item.add_component(alarm)
    return item


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def feed(user, reminders: list[Reminder], absolute) -> bytes:
    """The person's feed: every reminder they chose (``absolute(path)`` makes the
    events' links whole)."""
    calendar = _calendar()
    name = f"Kefir — {user.username}"
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    description = "Ready times and reminders for your kefir, from Kefir Tracker."
    calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", REFRESH_EVERY, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_EVERY))
    stamp = timezone.now()
    for reminder in reminders:
        calendar.add_component(event(reminder, absolute(reminder.url), stamp=stamp))
    return calendar.to_ical()


def one_off(reminders: list[Reminder], absolute) -> bytes:
    """A file to add once to a calendar (not subscribed: nothing updates it). No name:
    a calendar that sees one offers to make a new calendar of it, where these events
    belong in the person's own. Its UIDs differ from the feed's, so a calendar that
    has both keeps both, and adding the same file again replaces what it added before."""
    calendar = _calendar()
    stamp = timezone.now()
    for reminder in reminders:
        item = event(reminder, absolute(reminder.url), uid_suffix="-added", stamp=stamp)
        calendar.add_component(item)
    return calendar.to_ical()

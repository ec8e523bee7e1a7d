"""The calendar feed a phone subscribes to: /calendar/<token>.ics, opened by the secret
link alone, with the reminders the person chose, and nothing for any other link."""

import re
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from kefir_tracker.grains.models import Status
from kefir_tracker.reminders.models import CalendarFeed, make_link
from kefir_tracker.tokens import token_hash
from tests.factories import make_batch, make_culture, make_tasting, make_weighing
from tests.reminders.helpers import by_summary, events, kitchen, make_link_on_the_account_page, utc


@pytest.fixture
def link(owner_client):
    return make_link_on_the_account_page(owner_client)


def test_the_feed_is_a_named_calendar_to_subscribe_to(owner, link):
    response = Client().get(link)  # a calendar app: no session, no cookie
    calendar = Calendar.from_ical(response.content)

    assert response.status_code == 200
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Kefir Tracker//Reminders//EN"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["NAME"] == calendar["X-WR-CALNAME"] == "Kefir — olga"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT1H"


def test_the_feed_has_the_ready_time_the_second_ferment_the_burps_and_the_resting_grains(
    owner, link
):
    things = kitchen(owner)
    every = events(Client().get(link))
    found = by_summary(every)
    fermenting, bottled = things["fermenting"], things["bottled"]

    ready = found["Babushka #1 should be ready"]
    assert utc(ready["DTSTART"]) > timezone.now()
    assert ready["DESCRIPTION"].startswith("Cow milk kefir: taste it")
    assert ready["URL"] == f"http://testserver/batches/{fermenting.pk}/"
    assert f"http://testserver/batches/{fermenting.pk}/" in ready["DESCRIPTION"]

    second = found["Second ferment of Tibicos #1 ready to taste"]
    assert utc(second["DTSTART"]) == bottled.bottled_at.replace(microsecond=0) + timedelta(hours=24)
    assert utc(second["DTEND"]) == bottled.bottled_at.replace(microsecond=0) + timedelta(hours=72)
    burps = sorted(utc(e["DTSTART"]) for e in every.values() if e["SUMMARY"].startswith("Burp"))
    # Every 12 hours from bottling, 5 hours ago, until the second ferment's latest end.
    start = bottled.bottled_at.replace(microsecond=0)
    assert burps == [start + timedelta(hours=h) for h in (12, 24, 36, 48, 60)]

    fresh = found["Fresh milk for Fridge jar"]
    changed = things["resting"].rest_milk_changed_at.replace(microsecond=0)
    assert utc(fresh["DTSTART"]) == changed + timedelta(days=10)
    assert fresh["URL"] == f"http://testserver/grains/{things['resting'].pk}/"
    assert len(every) == 8


def test_every_event_has_a_uid_a_stamp_utc_times_and_an_alarm_at_its_start(owner, link):
    kitchen(owner)
    found = events(Client().get(link))

    for uid, event in found.items():
        assert re.fullmatch(r"[a-z0-9-]+@kefir-tracker-[0-9a-f]{20}", uid), uid
        assert event["DTSTAMP"].dt.tzinfo is not None
        assert event["DTSTART"].to_ical().endswith(b"Z")
        assert event["DTEND"].to_ical().endswith(b"Z")
        assert utc(event["DTEND"]) > utc(event["DTSTART"])
        assert event["TRANSP"] == "TRANSPARENT"
        [alarm] = event.walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY"
        assert alarm["DESCRIPTION"] == event["SUMMARY"]
        assert alarm["TRIGGER"].dt == timedelta(0)
        assert alarm["TRIGGER"].params["RELATED"] == "START"


def test_nothing_of_another_persons_is_in_the_feed(owner, other_user, link):
    kitchen(owner)
    theirs = make_culture(other_user, "Mallory's grains")
    make_batch(theirs, started_at=timezone.now() - timedelta(hours=2))
    make_culture(other_user, "Mallory's fridge", status=Status.RESTING)

    found = events(Client().get(link))

    assert len(found) == 8
    assert not [event for event in found.values() if "Mallory" in event["SUMMARY"]]


@pytest.mark.parametrize(
    ("choice", "gone"),
    [
        ("remind_ready", ["Babushka #1 should be ready"]),
        ("remind_second_ferment", ["Second ferment of Tibicos", "Burp the bottles"]),
        ("remind_grains", ["Fresh milk for Fridge jar"]),
    ],
)
def test_a_choice_turned_off_on_the_account_page_takes_its_events_out(
    owner, owner_client, link, choice, gone
):
    kitchen(owner)
    kept = {"remind_ready", "remind_second_ferment", "remind_grains"} - {choice}
    response = owner_client.post(reverse("accounts:reminders"), dict.fromkeys(kept, "on"))
    assert response.status_code == 302

    summaries = [str(event["SUMMARY"]) for event in events(Client().get(link)).values()]

    assert not [summary for summary in summaries if summary.startswith(tuple(gone))]
    taken = {"remind_ready": 1, "remind_second_ferment": 6, "remind_grains": 1}[choice]
    assert len(summaries) == 8 - taken


def test_quiet_hours_move_the_alarm_not_the_event(owner, owner_client, link):
    owner.time_zone = "Europe/Berlin"
    owner.save()
    batch = make_batch(make_culture(owner, "Babushka"), started_at=timezone.now())
    before = by_summary(events(Client().get(link)))["Babushka #1 should be ready"]
    ready = utc(before["DTSTART"]).astimezone(ZoneInfo("Europe/Berlin"))
    quiet_from = (ready - timedelta(hours=1)).replace(second=0)
    quiet_until = (ready + timedelta(hours=2)).replace(second=0)
    choices = {"remind_ready": "on", "quiet_from": f"{quiet_from:%H:%M}"}
    response = owner_client.post(
        reverse("accounts:reminders"), {**choices, "quiet_until": f"{quiet_until:%H:%M}"}
    )
    assert response.status_code == 302

    after = by_summary(events(Client().get(link)))["Babushka #1 should be ready"]
    [alarm] = after.walk("VALARM")

    assert after["UID"] == before["UID"] == f"batch-{batch.pk}-ready@" + after["UID"].split("@")[1]
    assert utc(after["DTSTART"]) == utc(before["DTSTART"])  # still ready when it is ready
    assert alarm["TRIGGER"].params["VALUE"] == "DATE-TIME"
    assert alarm["TRIGGER"].to_ical().endswith(b"Z")
    assert utc(alarm["TRIGGER"]) == quiet_until.astimezone(UTC)


def test_the_feed_is_a_private_calendar_no_cache_keeps_and_no_robot_indexes(owner, link):
    kitchen(owner)
    response = Client().get(link)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert {d.strip() for d in response["Cache-Control"].split(",")} == {"private", "no-store"}
    assert "noindex" in response["X-Robots-Tag"]
    assert "nofollow" in response["X-Robots-Tag"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response  # no session made for a calendar app
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))


def test_the_feed_answers_head_and_refuses_posts(owner, link):
    assert Client().head(link).status_code == 200
    assert Client().head(link).content == b""
    assert Client().post(link).status_code == 405


def test_the_uids_stay_the_same_from_one_read_to_the_next_and_after_an_unrelated_change(
    owner, link
):
    things = kitchen(owner)
    first = events(Client().get(link))
    second = events(Client().get(link))
    other = make_culture(owner, "Another jar")
    old = make_batch(
        other,
        started_at=timezone.now() - timedelta(days=3),
        strained_at=timezone.now() - timedelta(days=2),
    )
    make_tasting(old)
    make_weighing(things["resting"], 40)
    third = events(Client().get(link))

    assert set(first) == set(second)
    assert set(first) <= set(third)  # a new strained batch may move ready times, not UIDs
    for uid, event in first.items():
        if "-ready@" not in uid:
            assert utc(third[uid]["DTSTART"]) == utc(event["DTSTART"])
    # Another jar, strained two days ago, are hungry tomorrow: one more event.
    assert set(third) - set(first) == {next(uid for uid in third if f"grains-{other.pk}-" in uid)}


def test_revoking_the_link_makes_the_old_one_404(owner, owner_client, link):
    assert Client().get(link).status_code == 200

    response = owner_client.post(reverse("reminders:revoke"))

    assert response.status_code == 302
    assert not CalendarFeed.objects.filter(owner=owner).exists()
    assert Client().get(link).status_code == 404
    page = owner_client.get(response.url)
    assert "Turned off your calendar link" in page.text
    assert "You have no calendar link." in page.text


def test_a_new_link_works_and_the_old_one_is_404(owner, owner_client, link):
    new = make_link_on_the_account_page(owner_client)

    assert new != link
    assert Client().get(new).status_code == 200
    assert Client().get(link).status_code == 404
    assert CalendarFeed.objects.filter(owner=owner).count() == 1


def test_the_link_is_shown_once_and_only_its_hash_is_kept(owner, owner_client, link):
    token = link.removeprefix("/calendar/").removesuffix(".ics")
    page = owner_client.get(reverse("accounts:account"))

    assert token not in page.text
    assert "You made a calendar link on" in page.text
    feed = CalendarFeed.objects.get(owner=owner)
    assert feed.token_hash == token_hash(token)
    assert token not in str(CalendarFeed.objects.values().get())


def _without_csrf(response):
    return re.sub(
        rb'csrfmiddlewaretoken" value="[^"]+"|x-csrftoken": "[^"]+"', b"", response.content
    )


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/x.ics",
        "/calendar/" + "A" * 43 + ".ics",  # the shape of a token, nobody's
        "/calendar/" + "A" * 100_000 + ".ics",
        "/calendar/" + "٣" * 43 + ".ics",
        "/calendar/%00" + "A" * 42 + ".ics",
        "/calendar/.ics",
        "/calendar/../account/.ics",
    ],
)
def test_an_unknown_or_malformed_link_is_the_same_404_as_a_revoked_one(owner, path):
    revoked = make_link(owner)
    make_link(owner)  # renewed: the first no longer opens anything
    old = Client().get(f"/calendar/{revoked}.ics")

    response = Client().get(path)

    assert old.status_code == response.status_code == 404
    assert _without_csrf(response) == _without_csrf(old)


def test_a_link_differing_in_case_or_with_more_opens_nothing(owner):
    token = make_link(owner)
    for other in (token.swapcase(), token + "A", token[:-1], token.upper()):
        if other != token:
            assert Client().get(f"/calendar/{other}.ics").status_code == 404
    assert Client().get(f"/calendar/{token}.ICS").status_code == 404


def test_an_account_turned_off_has_no_feed(owner):
    token = make_link(owner)
    owner.is_active = False
    owner.save()
    assert Client().get(f"/calendar/{token}.ics").status_code == 404


def test_the_feed_costs_the_same_queries_for_a_big_kitchen_as_for_a_small_one(owner):
    token = make_link(owner)
    kitchen(owner)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(f"/calendar/{token}.ics").status_code == 200
        return len(captured)

    small = queries()
    now = timezone.now()
    for n in range(12):
        grains = make_culture(owner, f"Jar {n}")
        make_batch(grains, started_at=now - timedelta(hours=n))
        water = make_culture(owner, f"Water jar {n}", kind="water")
        make_batch(
            water,
            started_at=now - timedelta(hours=40),
            strained_at=now - timedelta(hours=3),
            bottled_at=now - timedelta(hours=2),
        )
        make_culture(owner, f"Fridge {n}", status=Status.RESTING)
    assert len(events(Client().get(f"/calendar/{token}.ics"))) > 80

    assert queries() == small <= 8


def test_the_uid_names_this_installation_not_the_address_it_was_read_from(owner, settings, link):
    settings.ALLOWED_HOSTS = ["testserver", "kefir.lan", "192.168.1.20"]
    make_batch(make_culture(owner, "Babushka"))
    on_lan = events(Client().get(link, HTTP_HOST="192.168.1.20"))
    by_name = events(Client().get(link, HTTP_HOST="kefir.lan"))

    assert set(on_lan) == set(by_name)
    [event] = by_name.values()
    assert event["URL"].startswith("http://kefir.lan/batches/")


def test_a_feed_without_reminders_is_still_a_valid_calendar(owner, link):
    calendar = Calendar.from_ical(Client().get(link).content)
    assert calendar.walk("VEVENT") == []
    assert calendar["X-WR-CALNAME"] == "Kefir — olga"

"""A person's time zone, clock (12 or 24 hours) and order of day and month: taken
from the phone at sign-up, chosen on the account page, followed by every page."""

import re
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.accounts.models import User
from tests.factories import PASSWORD, make_batch, make_culture

SIGN_UP = {"username": "newcomer", "password1": PASSWORD, "password2": PASSWORD}


def sign_up(client, **hidden):
    response = client.post(reverse("accounts:sign_up"), {**SIGN_UP, **hidden})
    assert response.status_code == 302
    return User.objects.get(username="newcomer")


# ---- sign-up ----


def test_sign_up_stores_the_zone_clock_and_date_order_the_browser_reported(client, db):
    user = sign_up(client, time_zone="America/Chicago", clock_hours="12", date_order="md")
    assert (user.time_zone, user.clock_hours, user.date_order) == ("America/Chicago", "12", "md")


def test_an_old_zone_name_a_browser_reports_becomes_the_current_one(client, db):
    assert sign_up(client, time_zone="Asia/Calcutta").time_zone == "Asia/Kolkata"


def test_without_the_script_the_defaults_stay(client, db, settings):
    user = sign_up(client)
    assert (user.time_zone, user.clock_hours, user.date_order) == (settings.TIME_ZONE, "24", "dm")


@pytest.mark.parametrize(
    "hidden",
    [
        {"time_zone": "Mars/Olympus", "clock_hours": "13", "date_order": "ym"},
        {"time_zone": "../../etc/passwd", "clock_hours": "", "date_order": "<b>"},
        {"time_zone": "nul\x00byte", "clock_hours": "nul\x00byte", "date_order": "x" * 5000},
    ],
)
def test_nonsense_in_the_hidden_fields_signs_up_with_the_defaults(client, db, settings, hidden):
    user = sign_up(client, **hidden)
    assert (user.time_zone, user.clock_hours, user.date_order) == (settings.TIME_ZONE, "24", "dm")


def test_the_welcome_says_which_zone_and_clock_the_times_use(client, db):
    client.post(
        reverse("accounts:sign_up"),
        {**SIGN_UP, "time_zone": "Europe/Berlin", "clock_hours": "24"},
    )
    page = client.get(reverse("batches:today")).content.decode()
    assert "Times are shown in Europe/Berlin on a 24-hour clock" in page


def test_only_the_sign_up_page_loads_the_sign_up_script_deferred(client, owner):
    page = client.get(reverse("accounts:sign_up")).content.decode()
    assert re.search(r'<script src="/static/js/sign-up\.js" defer></script>', page)
    for name in ("time_zone", "clock_hours", "date_order"):
        assert f'<input type="hidden" name="{name}"' in page
    assert "sign-up.js" not in client.get(reverse("accounts:login")).content.decode()


# ---- the account page ----


def zone_options(html):
    return re.findall(
        r'<option value="([^"]+)"', html.split('name="time_zone"')[1].split("</select>")[0]
    )


def test_the_zones_offered_are_real_places_with_the_common_ones_first(owner_client):
    html = owner_client.get(reverse("accounts:account")).content.decode()
    select = html.split('name="time_zone"')[1].split("</select>")[0]
    common, _ = select.split('<optgroup label="All time zones">')
    assert '<optgroup label="Common">' in common
    for zone in ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"):
        assert f'value="{zone}"' in common
    options = zone_options(html)
    assert "Europe/Oslo" in options
    assert "Pacific/Chatham" in options
    for junk in ("Etc/GMT+5", "Etc/GMT-14", "Factory", "localtime", "posixrules", "US/Eastern"):
        assert junk not in options
    for junk in ("EST", "CET", "GMT", "SystemV/AST4", "Asia/Calcutta", "Europe/Kiev"):
        assert junk not in options


def test_a_stored_zone_that_is_no_longer_offered_is_shown_and_kept(owner_client, owner):
    owner.time_zone = "US/Eastern"
    owner.save()
    html = owner_client.get(reverse("accounts:account")).content.decode()
    assert '<option value="US/Eastern" selected>US/Eastern (current)</option>' in html
    response = owner_client.post(
        reverse("accounts:account"),
        {
            "time_zone": "US/Eastern",
            "clock_hours": "12",
            "date_order": "md",
            "temperature_unit": "C",
            "volume_unit": "ml",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.time_zone, owner.clock_hours) == ("US/Eastern", "12")


# ---- every page follows the clock and the date order ----


@pytest.fixture
def evening_batch(owner):
    """A batch still fermenting, started yesterday at 19:05 in the owner's zone."""
    owner.time_zone = "Europe/Berlin"
    owner.save()
    zone = zoneinfo.ZoneInfo("Europe/Berlin")
    yesterday = timezone.localtime(timezone=zone) - timedelta(days=1)
    started = yesterday.replace(hour=19, minute=5, second=0, microsecond=0)
    return make_batch(make_culture(owner, "Babushka"), started_at=started)


def local_start(batch):
    return timezone.localtime(batch.started_at, zoneinfo.ZoneInfo("Europe/Berlin"))


def visible(html):
    """The page's text, without tags (a <time datetime> attribute is ISO 8601 for all)."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]*>", " ", html))


def pages(client, batch):
    return {
        "today": visible(client.get(reverse("batches:today")).content.decode()),
        "history": visible(client.get(reverse("batches:history")).content.decode()),
        "batch": visible(client.get(batch.get_absolute_url()).content.decode()),
    }


def test_a_12_hour_month_first_reader_sees_5_pm_and_the_month_first(
    owner_client, owner, evening_batch
):
    owner.clock_hours, owner.date_order = "12", "md"
    owner.save()
    start = local_start(evening_batch)
    weekday, month = f"{start:%a}", f"{start:%b}"
    shown = pages(owner_client, evening_batch)
    assert f"started {weekday} 7:05\N{NO-BREAK SPACE}PM" in shown["today"]
    assert f" {weekday} {month} {start.day} " in shown["history"]
    assert f" {weekday} {month} {start.day}, 7:05\N{NO-BREAK SPACE}PM Started" in shown["batch"]
    for page in shown.values():
        assert "19:05" not in page


def test_a_24_hour_day_first_reader_sees_19_05_and_the_day_first(owner_client, evening_batch):
    start = local_start(evening_batch)
    weekday, month = f"{start:%a}", f"{start:%b}"
    shown = pages(owner_client, evening_batch)
    assert f"started {weekday} 19:05" in shown["today"]
    assert f" {weekday} {start.day} {month} " in shown["history"]
    assert f" {weekday} {start.day} {month}, 19:05 Started" in shown["batch"]
    for page in shown.values():
        assert "7:05\N{NO-BREAK SPACE}PM" not in page


@pytest.mark.parametrize(("order", "expected"), [("dm", "1 Nov"), ("md", "Nov 1")])
def test_the_deleted_batch_message_writes_the_date_like_every_page(
    owner_client, owner, order, expected
):
    owner.date_order = order
    owner.save()
    batch = make_batch(
        make_culture(owner, "Babushka"),
        started_at=datetime(2026, 11, 1, 8, tzinfo=zoneinfo.ZoneInfo("UTC")),
        strained_at=datetime(2026, 11, 2, 8, tzinfo=zoneinfo.ZoneInfo("UTC")),
    )
    response = owner_client.post(reverse("batches:delete", args=[batch.pk]), follow=True)
    assert f"Deleted the batch of Babushka from {expected}." in response.content.decode()


def test_a_date_in_another_year_carries_its_year_in_the_readers_order(owner_client, owner):
    owner.date_order = "md"
    owner.save()
    batch = make_batch(
        make_culture(owner, "Old"),
        started_at=datetime(2024, 3, 3, 7, 30, tzinfo=zoneinfo.ZoneInfo("UTC")),
        strained_at=datetime(2024, 3, 4, 7, 30, tzinfo=zoneinfo.ZoneInfo("UTC")),
    )
    assert "Sun Mar 3, 2024, 07:30" in owner_client.get(batch.get_absolute_url()).content.decode()

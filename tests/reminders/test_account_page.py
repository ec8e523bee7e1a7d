"""The account page's Reminders card (what to be reminded of, quiet hours) and Calendar
card (make, renew, turn off the link), as plain posts and with htmx."""

import json
import re
from datetime import time
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from kefir_tracker.reminders.models import CalendarFeed
from tests.reminders.helpers import LINK

HX = {"HTTP_HX_REQUEST": "true"}
ALL_ON = {"remind_ready": "on", "remind_second_ferment": "on", "remind_grains": "on"}


def reminders_url():
    return reverse("accounts:reminders")


def field_errors(html, name):
    """The error messages shown with the field ``name``."""
    found = re.search(
        rf'name="{name}".*?(?:<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>|</div>)', html, re.S
    )
    return re.findall(r"<li>(.*?)</li>", found.group(1) or "") if found else []


def test_the_account_page_shows_the_choices_and_no_quiet_hours_at_first(owner_client):
    page = owner_client.get(reverse("accounts:account"))

    assert page.status_code == 200
    assert '<h2 id="reminders-heading">Reminders</h2>' in page.text
    for name in ALL_ON:
        assert re.search(rf'<input type="checkbox" name="{name}"[^>]* checked', page.text), name
    assert re.search(
        r'<input type="time" name="quiet_from" id="id_quiet_from"(?![^>]*value)', page.text
    )
    assert "Make a calendar link" in page.text
    assert "every few hours" in page.text
    assert "Add to calendar" in page.text


def test_the_choices_and_quiet_hours_over_midnight_are_saved(owner_client, owner):
    response = owner_client.post(
        reminders_url(), {"remind_grains": "on", "quiet_from": "22:00", "quiet_until": "07:00"}
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:account") + "#reminders"
    owner.refresh_from_db()
    assert (owner.remind_ready, owner.remind_second_ferment, owner.remind_grains) == (
        False,
        False,
        True,
    )
    assert (owner.quiet_from, owner.quiet_until) == (time(22), time(7))
    page = owner_client.get(response.url)
    assert "Reminder choices saved." in page.text
    assert 'value="22:00"' in page.text
    assert 'value="07:00"' in page.text


def test_no_quiet_hours_clears_them(owner_client, owner):
    owner.quiet_from, owner.quiet_until = time(22), time(7)
    owner.save()
    owner_client.post(reminders_url(), {**ALL_ON, "quiet_from": "", "quiet_until": ""})
    owner.refresh_from_db()
    assert (owner.quiet_from, owner.quiet_until) == (None, None)


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        (
            {"quiet_from": "22:00", "quiet_until": ""},
            "quiet_until",
            "Give the end too, or leave both empty.",
        ),
        (
            {"quiet_from": "", "quiet_until": "07:00"},
            "quiet_from",
            "Give the start too, or leave both empty.",
        ),
        (
            {"quiet_from": "07:00", "quiet_until": "07:00"},
            "quiet_until",
            "They would end as they begin: change one, or leave both empty.",
        ),
        (
            {"quiet_from": "25:00", "quiet_until": "07:00"},
            "quiet_from",
            "Enter a time, like 22:00.",
        ),
        (
            {"quiet_from": "22:00", "quiet_until": "soon"},
            "quiet_until",
            "Enter a time, like 07:00.",
        ),
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_quiet_hours_given_by_half_or_wrong_are_refused_next_to_the_field_and_kept_as_typed(
    owner_client, owner, typed, field, message, htmx
):
    response = owner_client.post(
        reminders_url(), {"remind_grains": "on", **typed}, **(HX if htmx else {})
    )

    assert response.status_code == 200
    owner.refresh_from_db()
    # Nothing saved, not even the choices that were fine.
    assert (owner.remind_ready, owner.remind_second_ferment) == (True, True)
    assert (owner.quiet_from, owner.quiet_until) == (None, None)
    assert field_errors(response.text, field) == [message]
    for name, value in typed.items():
        if value[:1].isdigit() and value < "24":  # what a time input can hold
            assert re.search(rf'name="{name}" value="{re.escape(value)}"', response.text), name
    # The boxes as they were posted: only "grains" ticked.
    assert not re.search(r'name="remind_ready"[^>]* checked', response.text)
    assert re.search(r'name="remind_grains"[^>]* checked', response.text)
    if htmx:
        assert "<html" not in response.text
        assert response.text.lstrip().startswith('<section class="card" id="reminders"')
    else:
        assert "<html" in response.text
        assert 'name="time_zone"' in response.text  # the whole account page


def test_saving_with_htmx_swaps_the_card_and_says_so(owner_client, owner):
    response = owner_client.post(reminders_url(), {"remind_ready": "on"}, **HX)

    assert response.status_code == 200
    assert "<html" not in response.text
    done = json.loads(response["HX-Trigger-After-Settle"])["kefir:done"]
    assert done["message"] == "Reminder choices saved."
    assert done["focus"] == "#reminders-heading"
    owner.refresh_from_db()
    assert (owner.remind_ready, owner.remind_grains) == (True, False)


def test_the_preferences_form_leaves_the_reminder_choices_alone(owner_client, owner):
    owner.remind_grains = False
    owner.quiet_from, owner.quiet_until = time(23), time(6)
    owner.save()
    owner_client.post(
        reverse("accounts:account"),
        {
            "time_zone": "Europe/Berlin",
            "clock_hours": "24",
            "date_order": "dm",
            "temperature_unit": "C",
            "volume_unit": "ml",
        },
    )
    owner.refresh_from_db()
    assert owner.time_zone == "Europe/Berlin"
    assert (owner.remind_grains, owner.quiet_from, owner.quiet_until) == (False, time(23), time(6))


def test_the_reminder_posts_need_the_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    for name in ("accounts:reminders", "reminders:new_link", "reminders:revoke"):
        assert client.post(reverse(name), ALL_ON).status_code == 403, name
    assert not CalendarFeed.objects.exists()


def test_making_a_link_with_htmx_shows_it_once_in_the_card(owner_client, owner):
    response = owner_client.post(reverse("reminders:new_link"), **HX)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section class="card" id="calendar"')
    link = unescape(LINK.search(response.text).group(1))
    webcal = re.search(r'href="(webcal://[^"]+)">Subscribe on this phone', response.text).group(1)
    assert webcal == "webcal://" + link.removeprefix("http://")
    assert {d.strip() for d in response["Cache-Control"].split(",")} == {"private", "no-store"}
    done = json.loads(response["HX-Trigger-After-Settle"])["kefir:done"]
    assert "Copy it now" in done["message"]
    assert Client().get(link.removeprefix("http://testserver")).status_code == 200

    later = owner_client.get(reverse("accounts:account"))
    assert link not in later.text
    assert "You made a calendar link on" in later.text
    assert "no-store" not in later["Cache-Control"]


def test_without_javascript_the_page_after_the_post_shows_the_link_and_is_kept_nowhere(
    owner_client,
):
    response = owner_client.post(reverse("reminders:new_link"))
    page = owner_client.get(response.url)

    assert response.url == reverse("accounts:account") + "#calendar"
    assert LINK.search(page.text)
    assert "Made your calendar link. Copy it now" in page.text
    assert {d.strip() for d in page["Cache-Control"].split(",")} == {"private", "no-store"}


def test_renewing_says_the_old_link_stops_and_asks_first_with_htmx(owner_client):
    owner_client.post(reverse("reminders:new_link"))
    page = owner_client.get(reverse("accounts:account"))
    assert 'data-hx-confirm="Make a new link? The old one stops working' in page.text
    assert 'data-hx-confirm="Turn off your calendar link?' in page.text

    response = owner_client.post(reverse("reminders:new_link"), **HX)

    done = json.loads(response["HX-Trigger-After-Settle"])["kefir:done"]
    assert done["message"].startswith("Made a new calendar link; the old one no longer works.")


def test_turning_the_link_off_with_htmx_swaps_the_card(owner_client, owner):
    owner_client.post(reverse("reminders:new_link"))

    response = owner_client.post(reverse("reminders:revoke"), **HX)

    assert response.status_code == 200
    assert "You have no calendar link." in response.text
    assert "Make a calendar link" in response.text
    assert not CalendarFeed.objects.filter(owner=owner).exists()


def test_turning_off_a_link_nobody_made_says_so(owner_client):
    response = owner_client.post(reverse("reminders:revoke"), follow=True)
    assert "You have no calendar link." in response.text


def test_someone_elses_link_is_untouched_by_my_posts(owner_client, other_user):
    other = Client()
    other.force_login(other_user)
    other.post(reverse("reminders:new_link"))
    before = CalendarFeed.objects.get(owner=other_user).token_hash

    owner_client.post(reverse("reminders:new_link"))
    owner_client.post(reverse("reminders:revoke"))

    assert CalendarFeed.objects.get(owner=other_user).token_hash == before


def test_a_link_turned_off_before_its_page_was_seen_is_not_shown_after_all(owner_client):
    owner_client.post(reverse("reminders:new_link"))  # its page not opened (a lost reply)
    owner_client.post(reverse("reminders:revoke"), **HX)  # from another tab

    page = owner_client.get(reverse("accounts:account"))

    assert not LINK.search(page.text)
    assert "You have no calendar link." in page.text

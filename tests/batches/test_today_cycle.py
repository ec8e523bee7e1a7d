"""Today follows the whole cycle: batches waiting for a tasting, second ferments in
bottles (with their burps), grains due fresh food, and an overdue batch that stands out."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch
from kefir_tracker.batches.services import estimate
from kefir_tracker.forecast.model import model_for
from kefir_tracker.grains.models import HUNGRY_AFTER, MILK_CHANGE_AFTER
from kefir_tracker.reminders import due
from tests.batches.conftest import htmx_from
from tests.batches.test_today import visible_text
from tests.factories import make_batch, make_culture, make_tasting

TODAY = reverse("batches:today")
KEY = re.compile(r'name="once" value="([0-9a-f-]{36})"')


def url(name, batch):
    return reverse(f"batches:{name}", args=[batch.pk])


def section(page, heading_id) -> str:
    """The HTML of the section of Today headed ``heading_id`` ("" when it is not there)."""
    start = page.find(f'aria-labelledby="{heading_id}"')
    return "" if start < 0 else page[start : page.index("</section>", start)]


def card(page, batch) -> str:
    """The HTML of ``batch``'s card."""
    start = page.index(f'id="batch-{batch.pk}"')
    return page[page.rindex("<article", 0, start) : page.index("</article>", start)]


def clock(moment, user) -> str:
    """``moment`` as the person reads it on Today: "21:00", "9:00 PM", "Tue 21:00"."""
    local = moment.astimezone(ZoneInfo(user.time_zone))
    if user.clock_hours == "12":
        time = f"{local.hour % 12 or 12}:{local:%M}\N{NO-BREAK SPACE}{local:%p}"
    else:
        time = f"{local:%H:%M}"
    if local.date() != timezone.now().astimezone(local.tzinfo).date():
        time = f"{local:%a} {time}"
    return " ".join(time.split())  # as visible_text() spaces it


def strained(culture, hours_ago, **fields):
    """A batch of ``culture`` strained ``hours_ago`` after 20 hours of fermenting."""
    at = fields.pop("strained_at", timezone.now() - timedelta(hours=hours_ago))
    return make_batch(culture, started_at=at - timedelta(hours=20), strained_at=at, **fields)


def bottled(culture, hours_ago, **fields):
    """A batch of ``culture`` bottled ``hours_ago`` (right after its strain)."""
    at = timezone.now() - timedelta(hours=hours_ago)
    return strained(culture, hours_ago, strained_at=at, bottled_at=at, **fields)


@pytest.fixture
def today(owner_client):
    return lambda: owner_client.get(TODAY).content.decode()


# ---- waiting for a tasting ----


def test_a_batch_strained_lately_and_not_tasted_waits_for_a_tasting(today, culture):
    batch = strained(culture, hours_ago=5)
    waiting = section(today(), "waiting-heading")
    assert "Waiting for a tasting" in waiting
    shown = card(waiting, batch)
    assert f'href="{batch.get_absolute_url()}#tasting">How does it taste?' in shown
    assert f'action="{url("bottle", batch)}"' in shown
    assert f'hx-post="{url("bottle", batch)}"' in shown
    assert "Strained by mistake?" not in shown  # strained hours ago: no Undo any more


def test_tasted_discarded_bottled_old_and_others_batches_do_not_wait(today, culture, other_user):
    tasted = strained(culture, hours_ago=3)
    make_tasting(tasted)
    strained(culture, hours_ago=4, discarded=True, discard_reason="mould", notes="spoiled")
    bottled(culture, hours_ago=2)
    strained(culture, hours_ago=60, notes="old one")  # strained 2 1/2 days ago
    theirs = strained(make_culture(other_user, "Not yours"), hours_ago=1)

    page = today()

    assert section(page, "waiting-heading") == ""
    assert f'id="batch-{tasted.pk}"' not in page
    assert f'id="batch-{theirs.pk}"' not in page
    assert "Not yours" not in page


def test_a_tasting_takes_the_batch_off_the_list(owner_client, today, culture):
    batch = strained(culture, hours_ago=2)
    assert f'id="batch-{batch.pk}"' in section(today(), "waiting-heading")
    owner_client.post(url("taste", batch), {"rating": "4"})
    assert f'id="batch-{batch.pk}"' not in today()


def test_strain_from_today_keeps_the_card_with_undo_and_the_next_steps(owner_client, culture):
    batch = make_batch(culture, started_at=timezone.now() - timedelta(hours=20))
    response = owner_client.post(url("strain", batch), {"next": TODAY}, **htmx_from("x"))
    shown = response.content.decode()
    assert shown.strip().startswith("<article")
    assert "How does it taste?" in shown
    assert f'hx-post="{url("bottle", batch)}"' in shown
    assert "Strained by mistake?" in shown
    page = owner_client.get(TODAY).content.decode()
    assert "Strained by mistake?" in card(section(page, "waiting-heading"), batch)
    assert f'id="batch-{batch.pk}"' not in section(page, "fermenting-heading")


def test_bottle_from_today_moves_the_batch_to_the_second_ferment(owner_client, culture):
    batch = strained(culture, hours_ago=1)
    response = owner_client.post(
        url("bottle", batch), {"next": TODAY, "flavourings": "vanilla"}, **htmx_from("x")
    )
    batch.refresh_from_db()
    assert batch.bottled_at is not None
    assert batch.flavourings == "vanilla"
    shown = response.content.decode()
    assert "with vanilla" in shown
    assert f'hx-post="{url("finish", batch)}"' in shown
    assert "Bottled by mistake?" in shown
    page = owner_client.get(TODAY).content.decode()
    assert f'id="batch-{batch.pk}"' in section(page, "second-ferment-heading")
    assert section(page, "waiting-heading") == ""


def test_bottling_refused_says_why_in_the_card_and_keeps_what_was_typed(owner_client, culture):
    batch = strained(culture, hours_ago=1)
    typed = "ginger " * 40  # more than 200 characters
    response = owner_client.post(
        url("bottle", batch), {"next": TODAY, "flavourings": typed}, **htmx_from("x")
    )
    assert response.status_code == 200
    shown = response.content.decode()
    assert 'role="alert"' in shown
    assert "Flavourings:" in shown
    assert f'value="{typed}"' in shown
    assert '<details class="bottle-fold" open>' in shown
    batch.refresh_from_db()
    assert (batch.bottled_at, batch.flavourings) == (None, "")


# ---- second ferment ----


def test_a_bottled_batch_says_when_it_is_ready_to_taste(owner, today, culture):
    batch = bottled(culture, hours_ago=1)
    shown = card(section(today(), "second-ferment-heading"), batch)
    # Milk kefir: 4-12 h in bottles, by the guides.
    start, end = batch.bottled_at + timedelta(hours=4), batch.bottled_at + timedelta(hours=12)
    assert f"ready to taste {clock(start, owner)}–{clock(end, owner)}" in visible_text(shown)
    assert "Burp" not in shown  # milk kefir is not burped
    assert f'hx-post="{url("finish", batch)}"' in shown
    assert KEY.search(shown)


def test_water_kefir_bottles_say_when_to_burp_on_the_persons_clock(owner, owner_client, water):
    owner.time_zone, owner.clock_hours = "America/Chicago", "12"
    owner.save()
    batch = bottled(water, hours_ago=3)
    shown = card(owner_client.get(TODAY).content.decode(), batch)
    burp = batch.bottled_at + timedelta(hours=12)
    assert f"Burp the bottles at {clock(burp, owner)}" in visible_text(shown)
    assert "Burp the bottles now" not in visible_text(shown)
    # "at 9:40 PM", or "at Thu 2:40 AM" when that is after midnight.
    assert re.search(r"at <strong>(\w{3} )?\d\d?:\d\d\N{NO-BREAK SPACE}[AP]M</strong>", shown)


def test_a_burp_just_due_stands_out(owner, today, water):
    batch = bottled(water, hours_ago=12.5)  # the first burp came half an hour ago
    shown = card(today(), batch)
    burp = batch.bottled_at + timedelta(hours=12)
    assert f"Burp the bottles now (due {clock(burp, owner)})" in visible_text(shown)
    assert re.search(
        r'<strong class="burp-due" data-live-from="[^"]+" data-live-until="[^"]+">', shown
    )


def test_a_second_ferment_past_the_guides_time_is_overdue(today, culture):
    batch = bottled(culture, hours_ago=15)  # milk kefir: 4-12 h
    shown = card(today(), batch)
    assert 'class="card batch-card overdue"' in shown
    assert "Overdue by 3 h" in visible_text(shown)


def test_finish_from_today_sent_twice_is_stored_once(owner_client, culture):
    batch = bottled(culture, hours_ago=6)
    key = KEY.search(card(owner_client.get(TODAY).content.decode(), batch))[1]
    fields = {"next": TODAY, "once": key}

    first = owner_client.post(url("finish", batch), fields, **htmx_from(f"batch-{batch.pk}"))
    batch.refresh_from_db()
    finished_at = batch.finished_at
    again = owner_client.post(url("finish", batch), fields, **htmx_from(f"batch-{batch.pk}"))

    assert first.status_code == again.status_code == 200
    batch.refresh_from_db()
    assert finished_at is not None
    assert batch.finished_at == finished_at
    assert "Finished the second ferment of batch" in first.headers["HX-Trigger-After-Settle"]
    assert "Sent twice, saved once" in again.headers["HX-Trigger-After-Settle"]
    assert "already finished" not in again.content.decode()
    shown = first.content.decode()
    assert "How does it taste?" in shown
    assert url("undo", batch) in shown


def test_finish_without_javascript_goes_back_to_today_with_undo_for_a_while(owner_client, culture):
    batch = bottled(culture, hours_ago=6)
    response = owner_client.post(url("finish", batch), {"next": TODAY})
    assert response.status_code == 302
    assert response.url == TODAY
    page = owner_client.get(TODAY).content.decode()
    assert "Finished the second ferment of batch 1 of Babushka." in page
    shown = card(section(page, "second-ferment-heading"), batch)
    assert url("undo", batch) in shown
    assert url("finish", batch) not in shown

    Batch.objects.filter(pk=batch.pk).update(last_action_at=timezone.now() - timedelta(minutes=11))
    assert f'id="batch-{batch.pk}"' not in owner_client.get(TODAY).content.decode()


def test_undo_a_finish_from_today_brings_the_bottles_back(owner_client, culture):
    batch = bottled(culture, hours_ago=6)
    owner_client.post(url("finish", batch), {"next": TODAY})
    response = owner_client.post(url("undo", batch), {"next": TODAY}, **htmx_from("x"))
    batch.refresh_from_db()
    assert batch.finished_at is None
    assert f'hx-post="{url("finish", batch)}"' in response.content.decode()


def test_a_finished_or_discarded_second_ferment_is_not_on_today(owner_client, today, culture):
    done = bottled(culture, hours_ago=20)
    owner_client.post(url("edit", done), {})  # not a one-tap change: no Undo card
    Batch.objects.filter(pk=done.pk).update(finished_at=timezone.now())
    thrown = bottled(culture, hours_ago=5)
    owner_client.post(url("discard", thrown), {"reason": "exploded"})
    page = today()
    assert section(page, "second-ferment-heading") == ""


def test_finish_refuses_what_is_not_in_bottles_and_what_is_not_theirs(
    owner_client, culture, other_user
):
    not_bottled = strained(culture, hours_ago=1)
    response = owner_client.post(url("finish", not_bottled), {"next": TODAY}, **htmx_from("x"))
    assert response.status_code == 200
    assert "This batch has no second ferment to finish." in response.content.decode()
    not_bottled.refresh_from_db()
    assert not_bottled.finished_at is None

    theirs = bottled(make_culture(other_user, "Theirs"), hours_ago=5)
    for pk in (theirs.pk, 999999):
        gone = owner_client.post(reverse("batches:finish", args=[pk]), {"next": TODAY})
        assert gone.status_code == 404
    theirs.refresh_from_db()
    assert theirs.finished_at is None
    assert owner_client.get("/batches/x1/finish/").status_code == 404


# ---- fermenting: overdue first, in words ----


def test_an_overdue_batch_says_by_how_much_and_comes_first(owner, today, culture, water):
    now = timezone.now()
    slow = make_batch(water, started_at=now - timedelta(hours=30), room_temp_c=18)
    late = make_batch(culture, started_at=now - timedelta(hours=29), room_temp_c=28)
    latest = estimate(late, model_for(owner)).latest
    assert now > latest > late.started_at  # warm milk kefir: well past its usual time

    page = today()

    fermenting = section(page, "fermenting-heading")
    assert fermenting.index(f'id="batch-{late.pk}"') < fermenting.index(f'id="batch-{slow.pk}"')
    shown = card(page, late)
    assert 'class="card batch-card overdue"' in shown
    words = visible_text(shown)
    overdue = re.search(r"Overdue by (\d+) h( (\d+) min)?", words)
    minutes = int(overdue[1]) * 60 + int(overdue[3] or 0)
    assert abs(minutes - (now - latest).total_seconds() / 60) <= 1
    assert "ready since" in words
    assert "Overdue" not in visible_text(card(page, slow))
    assert 'class="card batch-card"' in card(page, slow)


def test_a_batch_not_yet_ready_counts_down(owner, today, culture):
    batch = make_batch(culture, started_at=timezone.now() - timedelta(hours=10))
    ready_at = estimate(batch, model_for(owner)).ready_at
    words = visible_text(card(today(), batch))
    left = re.search(r"ready in (\d+) h( (\d+) min)?", words)
    minutes = int(left[1]) * 60 + int(left[3] or 0)
    assert abs(minutes - (ready_at - timezone.now()).total_seconds() / 60) <= 1
    assert f"≈ {clock(ready_at, owner)}" in words
    assert "ready since" not in words
    assert "Overdue" not in words


# ---- grains ----


def test_resting_grains_due_fresh_milk_say_so_with_a_link(owner, today):
    long_ago = timezone.now() - MILK_CHANGE_AFTER - timedelta(days=1)
    stale = make_culture(
        owner,
        "Fridge jar",
        status="resting",
        status_changed_at=long_ago,
        rest_milk_changed_at=long_ago,
    )
    fresh = make_culture(
        owner,
        "Fresh jar",
        status="resting",
        rest_milk_changed_at=timezone.now() - timedelta(days=3),
    )
    grains = section(today(), "grains-heading")
    assert f'id="grains-{stale.pk}"' in grains
    assert f'id="grains-{fresh.pk}"' not in grains
    shown = visible_text(grains)
    assert "Time for fresh milk: in the same milk for 11 d" in shown
    assert f'href="{stale.get_absolute_url()}#actions-title">Change the milk' in grains


def test_grains_due_soon_say_when_and_the_time_is_the_calendars(owner, today):
    changed = timezone.now() - MILK_CHANGE_AFTER + timedelta(hours=10)
    soon = make_culture(
        owner, "Sugar jar", kind="water", status="resting", rest_milk_changed_at=changed
    )
    shown = visible_text(section(today(), "grains-heading"))
    (reminder,) = [r for r in due.upcoming(owner) if r.key.startswith(f"grains-{soon.pk}-")]
    assert f"Fresh sugar water due {clock(reminder.due_at, owner)}" in shown
    assert "Time for fresh" not in shown


def test_hungry_milk_grains_are_told_to_start_or_rest(owner, today):
    old = timezone.now() - HUNGRY_AFTER - timedelta(hours=5)
    hungry = make_culture(owner, "Forgotten", status_changed_at=old)
    make_batch(hungry, started_at=old, strained_at=old + timedelta(hours=20))
    fed = make_culture(owner, "Busy", status_changed_at=old)
    make_batch(fed, started_at=timezone.now() - timedelta(hours=2))  # fermenting: fed
    make_culture(owner, "Water ones", kind="water", status_changed_at=old)  # never "hungry"

    page = today()

    grains = section(page, "grains-heading")
    assert f'id="grains-{hungry.pk}"' in grains
    assert f'id="grains-{fed.pk}"' not in grains
    assert "Water ones" not in grains
    (reminder,) = [r for r in due.upcoming(owner) if r.key.startswith(f"grains-{hungry.pk}-")]
    assert f"Hungry since {clock(reminder.due_at, owner)}" in visible_text(grains)
    assert f'href="{TODAY}?start={hungry.pk}#culture-{hungry.pk}">Start a batch' in grains


def test_other_peoples_grains_are_not_on_today(today, other_user):
    old = timezone.now() - timedelta(days=30)
    make_culture(other_user, "Their jar", status="resting", rest_milk_changed_at=old)
    assert "Their jar" not in today()

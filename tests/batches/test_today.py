import re
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests.batches.conftest import HTMX
from tests.factories import make_batch, make_culture

TODAY = reverse("batches:today")


def start_url(culture):
    return f"{TODAY}?start={culture.pk}"


def test_it_requires_sign_in(client, db):
    response = client.get(TODAY)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_shows_each_fermenting_batch_with_progress_and_a_strain_button(owner_client, culture):
    batch = make_batch(culture, started_at=timezone.now() - timedelta(hours=6), volume_ml=750)
    response = owner_client.get(TODAY)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page
    assert f'id="batch-{batch.pk}"' in page
    assert "Babushka" in page
    assert "cow milk" in page
    assert "750 ml" in page
    assert "6 h" in page
    assert "<progress" in page
    assert f'hx-post="{reverse("batches:strain", args=[batch.pk])}"' in page
    assert '>Strain<span class="visually-hidden"> Babushka</span></button>' in page


def test_an_htmx_request_gets_only_the_body(owner_client, culture):
    make_batch(culture)
    response = owner_client.get(TODAY, **HTMX)
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'id="today-body"' in response.content
    assert "HX-Request" in response["Vary"]


def test_strained_and_discarded_batches_are_not_fermenting(owner_client, culture):
    make_batch(culture, notes="strained one", strained_at=timezone.now())
    make_batch(culture, notes="spoiled one", discarded=True, discard_reason="mould")
    response = owner_client.get(TODAY)
    assert b"Nothing is fermenting" in response.content


def test_another_users_batches_and_grains_are_not_shown(owner_client, other_user):
    theirs = make_culture(other_user, "Not yours")
    make_batch(theirs)
    response = owner_client.get(TODAY)
    assert b"Not yours" not in response.content


def visible_text(html) -> str:
    """The words of ``html`` as shown: without the elements hidden until a later time."""
    shown = re.sub(r"<(span|strong|p)\b[^>]* hidden>.*?</\1>", "", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", "", shown).split())


def ready_line(page, culture) -> str:
    """The text of the ready line on ``culture``'s fermenting card."""
    card = next(
        part for part in page.split('<article class="card batch-card') if culture.name in part
    )
    return visible_text(card.split('class="ready-line small">', 1)[1].split("</p>", 1)[0])


def usual_range(line) -> tuple[float, float]:
    """(14, 19) from a line that says "usually 14-19 h"."""
    low, high = re.search(r"usually ([\d.]+)–([\d.]+) h", line).groups()
    return float(low), float(high)


def test_ready_time_comes_from_the_users_own_batches(owner_client, culture):
    now = timezone.now()
    for day, hours in enumerate((12, 11.5, 12.5, 12, 13, 11.5, 12, 12.5)):
        start = now - timedelta(days=20 - 2 * day)
        make_batch(culture, started_at=start, strained_at=start + timedelta(hours=hours))
    started = now - timedelta(hours=6)
    make_batch(culture, started_at=started)
    line = ready_line(owner_client.get(TODAY).content.decode(), culture)
    # "≈ 01:43", or "≈ Thu 01:43" when that is after midnight (run in the evening).
    ready_at = re.fullmatch(
        r"ready in \d+ h( \d+ min)?, ≈ (\w{3} )?(\d\d:\d\d) · usually .+", line
    )[3]
    ready = timezone.make_aware(datetime.combine(started.date(), time.fromisoformat(ready_at)))
    hours = (ready - timezone.localtime(started)).total_seconds() / 3600 % 24
    assert 11 < hours < 14  # their own 12 h, not the guides' 24 h
    low, high = usual_range(line)
    assert low <= 12 <= high
    assert high - low <= 6
    assert line.endswith("from your 8 batches of cow milk at 22 °C")


def test_before_any_history_the_ready_time_is_the_guides_and_warmer_is_sooner(
    owner_client, culture, water
):
    cool = make_culture(culture.owner, "Cool jar", kind="water")
    started = timezone.now() - timedelta(hours=2)
    make_batch(water, started_at=started, room_temp_c=28)
    make_batch(cool, started_at=started, room_temp_c=18)
    page = owner_client.get(TODAY).content.decode()
    warm_line, cool_line = ready_line(page, water), ready_line(page, cool)
    assert warm_line.endswith("from the kefir guides")
    assert cool_line.endswith("from the kefir guides")
    # Water kefir: 24-48 h at 24 °C, 48-72 h at 20 °C by the guides.
    warm, cool = usual_range(warm_line), usual_range(cool_line)
    assert warm[1] < cool[0], (warm_line, cool_line)
    assert warm[0] >= 12  # the guides: 18-36 h at 28 °C
    assert cool[1] <= 100


def test_a_batch_past_its_usual_time_says_it_is_ready(owner_client, culture):
    make_batch(culture, started_at=timezone.now() - timedelta(hours=30))
    page = owner_client.get(TODAY).content.decode()
    assert ready_line(page, culture).startswith("ready since ")
    assert 'value="100"' in page


def test_the_start_form_is_filled_in_from_the_cultures_last_batch(owner_client, culture):
    make_batch(culture, started_at=timezone.now() - timedelta(days=3), volume_ml=300)
    make_batch(
        culture,
        base="goat",
        volume_ml=Decimal("750"),
        grains_in_g=Decimal("25"),
        grains_out_g=Decimal("28.5"),
        started_at=timezone.now() - timedelta(days=1),
        strained_at=timezone.now() - timedelta(hours=2),
    )
    page = owner_client.get(start_url(culture)).content.decode()
    assert '<option value="goat" selected>' in page
    assert 'name="volume_ml" value="750"' in page
    assert 'name="grains_in_g" value="28.5"' in page  # what came out goes back in


def test_milk_grains_are_offered_the_four_milks_and_no_sugar(owner_client, culture):
    page = owner_client.get(start_url(culture)).content.decode()
    form = page[page.index(f'id="start-{culture.pk}"') :]
    for milk in ("cow", "goat", "soy", "coconut"):
        assert f'<option value="{milk}"' in form
    assert '<option value="water"' not in form
    assert 'name="sugar_g"' not in form


def test_water_grains_are_offered_sugar_water_and_asked_for_sugar(owner_client, water):
    page = owner_client.get(start_url(water)).content.decode()
    form = page[page.index(f'id="start-{water.pk}"') :]
    assert '<option value="water" selected>' in form
    assert '<option value="cow"' not in form
    assert 'name="sugar_g"' in form


def test_only_grains_that_can_start_a_batch_get_a_start_card(owner_client, owner, culture):
    dried = make_culture(owner, "Dry spare", status="dried")
    page = owner_client.get(TODAY).content.decode()
    assert f'id="culture-{culture.pk}"' in page
    assert f'id="culture-{dried.pk}"' not in page


def test_start_forms_are_not_on_the_page_but_linked_from_each_card(owner_client, culture):
    page = owner_client.get(TODAY).content.decode()
    assert f'id="start-{culture.pk}"' not in page
    assert f'href="{TODAY}?start={culture.pk}#culture-{culture.pk}"' in page
    assert f'hx-get="{TODAY}?start={culture.pk}"' in page


def test_the_link_opens_today_with_that_start_form_open(owner_client, owner, culture):
    other = make_culture(owner, "Tibicos", kind="water")
    response = owner_client.get(start_url(culture))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page
    assert f'<form id="start-{culture.pk}"' in page
    assert f'id="start-{other.pk}"' not in page
    card = page[page.index(f'id="culture-{culture.pk}"') :]
    assert card.index('<details class="start-fold" open>') < card.index(f'id="start-{culture.pk}"')


def test_with_htmx_the_link_fetches_only_the_form(owner_client, culture):
    response = owner_client.get(start_url(culture), **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert page.strip().startswith(f'<form id="start-{culture.pk}"')


def test_resting_grains_can_open_a_start_form_too(owner_client, owner):
    resting = make_culture(owner, "Sleeping", status="resting")
    page = owner_client.get(start_url(resting)).content.decode()
    assert f'<form id="start-{resting.pk}"' in page


def test_start_forms_of_unknown_retired_or_others_grains_are_not_found(
    owner_client, owner, other_user
):
    retired = make_culture(owner, "Old", status="retired")
    theirs = make_culture(other_user, "Theirs")
    for asked in [retired.pk, theirs.pk, 999999, "x1", "-1"]:
        assert owner_client.get(f"{TODAY}?start={asked}").status_code == 404, asked


def test_with_no_grains_it_points_to_adding_some(owner_client):
    page = owner_client.get(TODAY).content.decode()
    assert reverse("grains:create") in page


def test_milk_grains_after_three_plant_milk_batches_are_due_a_dairy_batch(owner_client, culture):
    for hours_ago, base in [(90, "cow"), (70, "soy"), (50, "coconut"), (30, "soy")]:
        started = timezone.now() - timedelta(hours=hours_ago)
        make_batch(
            culture, base=base, started_at=started, strained_at=started + timedelta(hours=18)
        )

    response = owner_client.get(reverse("batches:today"))
    start_form = owner_client.get(reverse("batches:today"), {"start": culture.pk}, **HTMX)

    assert "had 3 non-dairy batches in a row" in response.text
    assert '<option value="cow" selected>' in start_form.text


def test_one_dairy_batch_among_the_last_three_is_enough(owner_client, culture):
    for hours_ago, base in [(70, "soy"), (50, "goat"), (30, "soy")]:
        started = timezone.now() - timedelta(hours=hours_ago)
        make_batch(
            culture, base=base, started_at=started, strained_at=started + timedelta(hours=18)
        )

    response = owner_client.get(reverse("batches:today"))

    assert "non-dairy batches in a row" not in response.text


def test_the_start_form_repeats_the_last_batch_that_was_not_discarded(owner_client, culture):
    kept = make_batch(
        culture,
        base="cow",
        volume_ml=Decimal(750),
        started_at=timezone.now() - timedelta(days=3),
        strained_at=timezone.now() - timedelta(days=2),
    )
    spoiled = make_batch(culture, base="goat", volume_ml=Decimal(300), strained_at=timezone.now())
    owner_client.post(reverse("batches:discard", args=[spoiled.pk]), {"reason": "mould"})

    form = owner_client.get(reverse("batches:today"), {"start": culture.pk}, **HTMX)
    today = owner_client.get(reverse("batches:today")).text

    assert '<option value="cow" selected>' in form.text
    assert 'value="750"' in form.text
    assert f"last: 750 ml {kept.get_base_display()}" in today


def test_resting_grains_can_be_started_from_today_after_the_active_ones(owner_client, owner):
    make_culture(owner, "Zest")
    make_culture(owner, "Asleep", status="resting")

    today = owner_client.get(reverse("batches:today")).text

    assert today.index("<strong>Zest</strong>") < today.index("<strong>Asleep</strong>")
    card = today[today.index("<strong>Asleep</strong>") :]
    assert "resting in the fridge" in card[: card.index("</article>")]
    assert "Start batch" in card[: card.index("</article>")]

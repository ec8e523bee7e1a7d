"""The ratio coach of the start form: from two of "ready by", the grains and the volume,
the third, by the person's own ready-time model; warnings by the guides' ratios."""

import html
import json
import re
import zoneinfo
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import MAX_VOLUME_ML, Batch
from kefir_tracker.batches.ratios import (
    MILK_ML_PER_GRAM,
    WATER_GRAINS_PER_LITRE,
    WATER_SUGAR_PER_LITRE,
    ratio_warnings,
)
from kefir_tracker.forecast.model import model_for
from kefir_tracker.units import cups_to_ml, f_to_c, parse_cups
from tests.batches.conftest import HTMX
from tests.factories import make_batch, make_culture, make_user

# Far enough apart that the model's answers differ by more than a kitchen step.
SOON, LATER = timedelta(hours=14), timedelta(hours=22)


def coach_url(culture):
    return reverse("batches:coach", args=[culture.pk])


def ask(client, culture, **fields):
    response = client.get(coach_url(culture), fields, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    return response


def words(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def part(response, name) -> str:
    """The coach's paragraph ``name`` (sentence, note, hint), as read."""
    found = re.findall(rf'<p class="coach-{name}">(.*?)</p>', response.text, re.S)
    return " ".join(words(text) for text in found)


def times(response, name="sentence") -> list[datetime]:
    found = re.search(rf'<p class="coach-{name}">(.*?)</p>', response.text, re.S)
    assert found, f"no coach-{name} in {words(response.text)}"
    return [datetime.fromisoformat(t) for t in re.findall(r'datetime="([^"]+)"', found.group(1))]


def filled(response) -> dict:
    """What "Use these amounts" would type into the form."""
    found = re.search(r"data-coach-fill='([^']*)'", response.text)
    return json.loads(html.unescape(found.group(1))) if found else {}


def clock_in(user, delta) -> tuple[str, datetime]:
    """The "ready by" time ``delta`` from now on ``user``'s clock, and the moment it means."""
    local = timezone.localtime(timezone=zoneinfo.ZoneInfo(user.time_zone)) + delta
    local = local.replace(second=0, microsecond=0)
    return f"{local:%H:%M}", local


def hours_until(moment) -> float:
    return (moment - timezone.now()).total_seconds() / 3600


@pytest.fixture
def history(culture):
    """A dozen strained batches, each faster when warmer, as the model should learn."""
    now = timezone.now()
    for n in range(12):
        celsius = 19 + n % 7
        start = now - timedelta(days=n + 2)
        make_batch(
            culture,
            started_at=start,
            strained_at=start + timedelta(hours=20 * 2 ** ((22 - celsius) / 6)),
            room_temp_c=Decimal(celsius),
        )
    return culture


# ---- ready by + grains: how much milk ----


def test_ready_by_and_grains_give_the_milk_the_model_says(owner_client, owner, history):
    ready_by, target = clock_in(owner, SOON)
    response = ask(owner_client, history, ready_by=ready_by, grains_in_g="25", room_temp_c="22")

    sentence = part(response, "sentence")
    assert f"To be ready by {ready_by}" in sentence
    assert "at 22 °C with 25 g of grains, use about" in sentence
    volume = Decimal(filled(response)["volume_ml"])
    assert volume % 50 == 0  # a kitchen amount
    model = model_for(owner)
    wanted = model.volume_for(
        hours_until(target), "cow", grains_g=25, culture_id=history.pk, room_temp_c=22
    )
    assert abs(float(volume) - wanted) <= 25
    assert f"{volume} ml of milk" in sentence
    shown_target, earliest, latest = times(response)
    assert shown_target == target
    assert earliest < target < latest  # the model's range for those amounts
    assert "From your 12 batches of cow milk" in words(response.text)


def test_more_grains_take_more_milk_and_a_warmer_room_too(owner_client, owner, history):
    ready_by, _ = clock_in(owner, LATER)

    def milk(grains, celsius):
        response = ask(
            owner_client, history, ready_by=ready_by, grains_in_g=grains, room_temp_c=celsius
        )
        assert part(response, "note") == ""  # within the guides: no other day, no warning
        return Decimal(filled(response)["volume_ml"])

    assert milk("20", "22") < milk("40", "22")
    assert milk("25", "19") < milk("25", "25")


# With the room typed: the month's usual, assumed otherwise, is of the few batches
# started this month, and in a month's first days can be too cool to be ready by SOON.
TYPED = {"grains_in_g": "25", "room_temp_c": "22"}


def test_a_later_time_takes_more_milk(owner_client, owner, history):
    soon, _ = clock_in(owner, SOON)
    later, _ = clock_in(owner, LATER)
    amounts = [
        Decimal(filled(ask(owner_client, history, ready_by=t, **TYPED))["volume_ml"])
        for t in (soon, later)
    ]
    assert amounts[0] < amounts[1]


def test_without_a_room_temperature_it_says_which_one_it_assumed(owner_client, owner, history):
    ready_by, _ = clock_in(owner, SOON)
    sentence = part(ask(owner_client, history, ready_by=ready_by, grains_in_g="25"), "sentence")
    celsius, where = model_for(owner).assumed_room(timezone.now())
    assert f"at {round(celsius)} °C ({where})" in sentence


def test_with_both_amounts_typed_it_keeps_the_grains_and_offers_the_grains_for_the_milk(
    owner_client, owner, history
):
    ready_by, _ = clock_in(owner, SOON)
    response = ask(owner_client, history, ready_by=ready_by, **TYPED, volume_ml="900")
    assert "with 25 g of grains, use about" in part(response, "sentence")
    assert list(filled(response)) == ["volume_ml"]
    assert "Or keep 900 ml and use about" in words(response.text)


# ---- ready by + volume: how many grains ----


def test_ready_by_and_volume_give_the_grains_fewer_for_a_later_time(owner_client, owner, history):
    def grains(delta):
        ready_by, target = clock_in(owner, delta)
        response = ask(owner_client, history, ready_by=ready_by, volume_ml="500", room_temp_c="22")
        assert "put about" in part(response, "sentence")
        grams = Decimal(filled(response)["grains_in_g"])
        wanted = model_for(owner).grains_for(
            hours_until(target), "cow", volume_ml=500, culture_id=history.pk, room_temp_c=22
        )
        assert abs(float(grams) - wanted) <= 2.5
        assert grams % 5 == 0
        return grams

    assert grains(SOON) > grains(LATER)


# ---- grains + volume: when it will be ready ----


def test_grains_and_volume_say_when_it_will_be_ready_sooner_with_more_grains(
    owner_client, owner, history
):
    def ready(grains):
        response = ask(owner_client, history, grains_in_g=grains, volume_ml="500", room_temp_c="22")
        assert "it will be ready about" in part(response, "sentence")
        assert filled(response) == {}  # nothing to fill: both amounts are the person's
        expected, earliest, latest = times(response)
        forecast = model_for(owner).predict(
            "cow", culture_id=history.pk, room_temp_c=22, grains_g=grains, volume_ml=500
        )
        assert abs(hours_until(expected) - forecast.hours) <= 0.1
        assert f"usually {forecast.usual_range}" in part(response, "sentence")
        assert earliest < expected < latest
        return expected

    assert ready("40") < ready("20")


def test_warmer_is_sooner(owner_client, history):
    def ready(celsius):
        response = ask(
            owner_client, history, grains_in_g="25", volume_ml="500", room_temp_c=celsius
        )
        return times(response)[0]

    assert ready("26") < ready("19")


# ---- water kefir: sugar too, and its longer ferment ----


def test_water_kefir_gets_its_sugar_and_a_day_it_can_make(owner_client, owner, water):
    ready_by, target = clock_in(owner, SOON)
    response = ask(owner_client, water, ready_by=ready_by, grains_in_g="50", room_temp_c="22")

    fill = filled(response)
    volume, sugar = Decimal(fill["volume_ml"]), Decimal(fill["sugar_g"])
    low, high = WATER_SUGAR_PER_LITRE
    assert low - 5 <= sugar * 1000 / volume <= high + 5  # the guides' sugar, to 5 g
    assert f"and {sugar} g of sugar" in part(response, "sentence")
    low, high = WATER_GRAINS_PER_LITRE
    assert low <= 50 * 1000 / volume <= high
    # Water kefir takes two days or so: the same time, a day it can make, said so.
    assert "is too soon" in part(response, "note")
    made_by = times(response)[0]
    assert made_by > target
    assert made_by.time() == target.time()
    forecast = model_for(owner).predict(
        "water", culture_id=water.pk, room_temp_c=22, grains_g=50, volume_ml=volume
    )
    assert forecast.low <= hours_until(made_by) <= forecast.high


def test_water_kefir_volume_gives_grains_and_sugar(owner_client, owner, water):
    ready_by, _ = clock_in(owner, SOON)
    fill = filled(ask(owner_client, water, ready_by=ready_by, volume_ml="1000"))
    assert set(fill) == {"grains_in_g", "sugar_g"}
    low, high = WATER_GRAINS_PER_LITRE
    assert low <= Decimal(fill["grains_in_g"]) <= high


def test_water_kefir_grains_and_volume_without_sugar_suggest_the_sugar(owner_client, water):
    response = ask(owner_client, water, grains_in_g="50", volume_ml="1000")
    assert "it will be ready about" in part(response, "sentence")
    sugar = Decimal(filled(response)["sugar_g"])
    low, high = WATER_SUGAR_PER_LITRE
    assert low <= sugar <= high


# ---- the person's units ----


def test_fahrenheit_and_cups(client, db):
    cook = make_user("cook", temperature_unit="F", volume_unit="cup")
    grains = make_culture(cook, "Lucky")
    client.force_login(cook)
    ready_by, _ = clock_in(cook, LATER)

    def cups(fahrenheit):
        response = ask(client, grains, ready_by=ready_by, grains_in_g="25", room_temp_c=fahrenheit)
        sentence = part(response, "sentence")
        assert f"at {fahrenheit} °F with 25 g" in sentence
        typed = filled(response)["volume_ml"]
        assert re.fullmatch(r"\d*[¼⅓½⅔¾]?", typed), typed  # a measuring cup's marks
        assert re.search(rf"use about {typed} cups? of milk", sentence)
        return parse_cups(typed)

    assert cups("66") < cups("78")
    # The amount is the one the model gives at that temperature, to the nearest mark.
    ready_by_moment = clock_in(cook, LATER)[1]
    wanted = model_for(cook).volume_for(
        hours_until(ready_by_moment),
        "cow",
        grains_g=25,
        culture_id=grains.pk,
        room_temp_c=f_to_c(Decimal(72)),
    )
    assert abs(float(cups_to_ml(cups("72"))) - wanted) <= 236.588 / 6


# ---- outside the guides, and times it cannot make ----


@pytest.mark.parametrize(("volume", "grains"), [("5000", "25"), ("50", "60")])
def test_typed_amounts_far_from_the_guides_are_warned_about(owner_client, culture, volume, grains):
    response = ask(owner_client, culture, volume_ml=volume, grains_in_g=grains)
    (warning,) = ratio_warnings("milk", volume, grains).values()
    assert " ".join(warning.split()) in part(response, "note")
    assert "it will be ready about" in part(response, "sentence")


def test_usual_amounts_are_not_warned_about(owner_client, culture):
    response = ask(owner_client, culture, volume_ml="500", grains_in_g="25")
    assert part(response, "note") == ""


def test_water_sugar_far_from_the_guides_is_warned_about(owner_client, water):
    response = ask(owner_client, water, volume_ml="1000", grains_in_g="50", sugar_g="300")
    assert "That is 300 g of sugar per litre" in part(response, "note")


def test_too_soon_says_the_soonest_and_plans_for_the_next_day(owner_client, owner, history):
    ready_by, target = clock_in(owner, timedelta(hours=3))
    response = ask(owner_client, history, ready_by=ready_by, grains_in_g="25", room_temp_c="22")

    fewest_ml = MILK_ML_PER_GRAM[0]
    note = part(response, "note")
    assert f"is too soon at 22 °C: even with 1 g of grains to {fewest_ml} ml of milk" in note
    asked, soonest = times(response, "note")
    assert asked == target
    fastest = model_for(owner).predict(
        "cow", culture_id=history.pk, room_temp_c=22, grains_g=25, volume_ml=25 * fewest_ml
    )
    assert fastest.hours > 3  # the premise: the guides' most grains are still too slow
    assert abs(hours_until(soonest) - fastest.hours) <= 0.2
    planned = times(response)[0]
    assert planned == target + timedelta(days=1)
    assert Decimal(filled(response)["volume_ml"]) > 25 * fewest_ml


def test_too_far_off_says_the_latest_with_the_most_milk(owner_client, owner, history):
    ready_by, _ = clock_in(owner, timedelta(hours=23, minutes=50))
    most_ml = MILK_ML_PER_GRAM[1]
    slowest = model_for(owner).predict(
        "cow", culture_id=history.pk, room_temp_c=32, grains_g=25, volume_ml=25 * most_ml
    )
    assert slowest.hours < 23  # the premise: even the least grains are ready sooner
    response = ask(owner_client, history, ready_by=ready_by, grains_in_g="25", room_temp_c="32")

    assert f"Even with 1 g of grains to {most_ml} ml of milk" in part(response, "note")
    assert "The nearest: use about" in part(response, "sentence")
    assert Decimal(filled(response)["volume_ml"]) == 25 * most_ml


# ---- half-typed and bad input ----


@pytest.mark.parametrize(
    ("fields", "hint"),
    [
        ({}, "Type when it should be ready, and the grams of grains or the millilitres"),
        ({"ready_by": "07:30"}, "Type the grams of grains or the millilitres of milk you have."),
        ({"grains_in_g": "25"}, "Type when it should be ready (or both the grams and"),
        ({"ready_by": "7:3x", "grains_in_g": "25"}, "Ready by: Type the time it should be"),
        ({"ready_by": "25:00", "volume_ml": "abc"}, "Volume (ml): Enter a number"),
        ({"ready_by": "07:30", "grains_in_g": "-1"}, "Grains in must be more than 0 g."),
        ({"grains_in_g": "1e999", "volume_ml": "NaN"}, "Type when it should be ready"),
        ({"grains_in_g": "25", "volume_ml": "500", "base": "lava"}, None),
        ({"grains_in_g": "25", "volume_ml": "500", "started_at": "next week"}, None),
        ({"ready_by": "07:30", "grains_in_g": "99999"}, "at most"),
    ],
)
def test_bad_or_half_typed_input_gets_a_plain_hint(owner_client, culture, fields, hint):
    response = ask(owner_client, culture, **fields)
    if hint is None:  # a field that makes no sense is left out of the answer
        assert "it will be ready about" in part(response, "sentence")
    else:
        assert hint in part(response, "hint")
        assert filled(response) == {}


# ---- whose grains ----


def test_another_persons_grains_are_404(other_client, culture):
    assert other_client.get(coach_url(culture), {"grains_in_g": "25"}, **HTMX).status_code == 404
    assert other_client.post(coach_url(culture), {"grains_in_g": "25"}).status_code == 404


def test_signed_out_is_sent_to_sign_in(client, culture):
    response = client.get(coach_url(culture), {"grains_in_g": "25"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# ---- in the start form, and without JavaScript ----


def test_the_start_form_holds_the_coach_asking_as_it_is_typed(owner_client, culture):
    page = owner_client.get(f"/?start={culture.pk}", **HTMX).text
    assert 'name="ready_by"' in page
    assert f'data-hx-get="{coach_url(culture)}"' in page
    assert 'aria-live="polite"' in page


def test_work_it_out_without_javascript_shows_the_form_as_typed_and_saves_nothing(
    owner_client, owner, culture
):
    ready_by, _ = clock_in(owner, SOON)
    typed = {"base": "goat", "grains_in_g": "25", "ready_by": ready_by, "notes": "for Sunday"}
    response = owner_client.post(coach_url(culture), typed)

    assert response.status_code == 200
    assert not Batch.objects.exists()
    page = response.text
    assert "<html" in page
    assert f'value="{ready_by}"' in page
    assert '<option value="goat" selected>' in page
    assert "for Sunday</textarea>" in page
    assert "use about" in part(response, "sentence")


def test_use_these_amounts_without_javascript_fills_the_form(owner_client, owner, culture):
    ready_by, _ = clock_in(owner, SOON)
    typed = {"grains_in_g": "25", "ready_by": ready_by}
    volume = filled(ask(owner_client, culture, **typed))["volume_ml"]

    response = owner_client.post(coach_url(culture), {**typed, "use": "1"})
    assert response.status_code == 200
    assert not Batch.objects.exists()
    field = re.search(r'<input[^>]*name="volume_ml"[^>]*>', response.text).group(0)
    assert f'value="{volume}"' in field


def test_with_htmx_work_it_out_swaps_the_start_form_in_place(owner_client, owner, culture):
    ready_by, _ = clock_in(owner, SOON)
    response = owner_client.post(
        coach_url(culture), {"grains_in_g": "25", "ready_by": ready_by}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#start-{culture.pk}"
    assert "<html" not in response.text
    assert not Batch.objects.exists()


def test_the_ready_by_time_stays_when_a_start_comes_back_with_errors(owner_client, culture):
    response = owner_client.post(
        reverse("batches:start", args=[culture.pk]),
        {"base": "cow", "volume_ml": "-5", "grains_in_g": "25", "ready_by": "07:30"},
    )
    assert response.status_code == 200
    assert 'value="07:30"' in response.text
    assert not Batch.objects.exists()


def test_a_start_ignores_the_ready_by_time(owner_client, culture):
    response = owner_client.post(
        reverse("batches:start", args=[culture.pk]),
        {"base": "cow", "volume_ml": "500", "grains_in_g": "25", "ready_by": "nonsense"},
    )
    assert response.status_code == 302
    assert Batch.objects.get().volume_ml == 500


def test_water_kefir_too_cold_for_any_day_gets_the_soonest(owner_client, owner, water):
    ready_by, target = clock_in(owner, SOON)
    most = WATER_GRAINS_PER_LITRE[1]
    slowest_day = model_for(owner).predict(
        "water", culture_id=water.pk, room_temp_c=10, grains_g=most, volume_ml=1000
    )
    assert slowest_day.hours > hours_until(target) + 72  # the premise: no day it can make
    response = ask(owner_client, water, ready_by=ready_by, volume_ml="1000", room_temp_c="10")

    assert "is too soon at 10 °C" in part(response, "note")
    assert part(response, "sentence").startswith("The soonest: put about")
    assert Decimal(filled(response)["grains_in_g"]) == most


def test_once_the_amounts_are_used_there_is_nothing_more_to_fill(owner_client, owner, history):
    ready_by, _ = clock_in(owner, SOON)
    typed = {"ready_by": ready_by, "grains_in_g": "25", "volume_ml": "500"}
    used = filled(ask(owner_client, history, **typed))
    assert used
    again = ask(owner_client, history, **{**typed, **used})
    assert filled(again) == {}
    assert part(again, "sentence") == part(ask(owner_client, history, **typed), "sentence")


def test_more_grains_than_any_batch_could_hold_the_milk_for_is_no_error(owner_client, owner, water):
    ready_by, _ = clock_in(owner, SOON)
    response = ask(owner_client, water, ready_by=ready_by, grains_in_g="1999")
    volume = filled(response).get("volume_ml")
    assert volume is None or Decimal(volume) <= MAX_VOLUME_ML
    assert part(response, "sentence")

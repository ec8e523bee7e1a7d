"""What the batch page says of a fermenting batch's ready time, learned from the person's batches."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import make_batch, make_culture

pytestmark = pytest.mark.django_db


def history(culture, hours_list, *, celsius=24, days_apart=2, **fields):
    """Strained batches of ``culture``, one every ``days_apart`` days up to yesterday."""
    now = timezone.now()
    for i, hours in enumerate(reversed(hours_list)):
        start = now - timedelta(days=1 + i * days_apart, hours=hours)
        make_batch(
            culture,
            started_at=start,
            strained_at=start + timedelta(hours=hours),
            room_temp_c=None if celsius is None else Decimal(celsius),
            **fields,
        )


def forecast(client, culture, **fields) -> dict:
    """Start a batch of ``culture`` an hour ago; what its page says of its ready time."""
    fields.setdefault("room_temp_c", Decimal(24))
    batch = make_batch(culture, started_at=timezone.now() - timedelta(hours=1), **fields)
    page = client.get(batch.get_absolute_url()).content.decode()
    ready = re.search(r"ready ≈\s*<strong>[^<]*</strong>", page)
    usually = re.search(r"Usually ([\d.]+)–([\d.]+) h, (from [^.]+)\.([^<]*)</p>", page)
    assert ready, page
    assert usually, page
    low, high = float(usually[1]), float(usually[2])
    return {"low": low, "high": high, "based_on": usually[3], "note": usually[4].strip()}


def middle(answer) -> float:
    return (answer["low"] * answer["high"]) ** 0.5


def test_a_forgotten_jar_does_not_become_the_prediction(owner_client, owner):
    tibicos, twin = (make_culture(owner, name, kind="water") for name in ("Tibicos", "Twin"))
    history(tibicos, [36, 35, 37, 36, 36])
    history(twin, [36, 35, 37, 36, 36])
    before = forecast(owner_client, twin)
    history(tibicos, [62], days_apart=1)  # the latest batch: back-dated, 2 d 14 h
    after = forecast(owner_client, tibicos)
    assert after["high"] < 62
    assert abs(middle(after) - middle(before)) < 3, (after, before)


def test_a_lone_forgotten_jar_moves_the_guides_little(owner_client, owner):
    guides = forecast(owner_client, make_culture(owner, "Fresh", kind="water"))
    assert guides["based_on"] == "from the kefir guides"
    history(make_culture(owner, "Forgotten", kind="water"), [62])
    answer = forecast(owner_client, make_culture(owner, "Next", kind="water"))
    assert answer["based_on"] == "from your 1 batch of sugar water at 24 °C"
    assert middle(answer) < middle(guides) * 1.15  # not 62 h


def test_discarded_batches_teach_nothing(owner_client, owner, culture):
    now = timezone.now()
    for days in range(2, 12, 2):
        start = now - timedelta(days=days)
        make_batch(
            culture, started_at=start, discarded=True, discarded_at=start + timedelta(hours=70)
        )
    answer = forecast(owner_client, culture)
    assert answer["based_on"] == "from the kefir guides"
    assert answer["high"] < 40


def test_each_colony_keeps_its_own_pace(owner_client, owner):
    quick, slow = make_culture(owner, "Quick"), make_culture(owner, "Slow")
    history(quick, [12, 12.5, 11.5, 12, 12, 12.5, 11.5, 12, 12, 12])
    history(slow, [24, 25, 23, 24, 24, 25, 23, 24, 24, 24])
    fast_answer, slow_answer = forecast(owner_client, quick), forecast(owner_client, slow)
    assert 10.5 < middle(fast_answer) < 14, fast_answer
    assert 21 < middle(slow_answer) < 27, slow_answer
    assert fast_answer["based_on"] == "from your 20 batches of cow milk at 24 °C"


def test_warmer_rooms_ferment_sooner_and_more_grains_too(owner_client, owner):
    jars = [make_culture(owner, name) for name in ("A", "B", "C")]
    for jar in jars:
        history(jar, [20, 20, 20, 20], celsius=22)
    cool = forecast(owner_client, jars[0], room_temp_c=Decimal(19))
    warm = forecast(owner_client, jars[1], room_temp_c=Decimal(27))
    crowded = forecast(owner_client, jars[2], room_temp_c=Decimal(19), grains_in_g=Decimal(60))
    assert warm["high"] < cool["low"], (warm, cool)
    assert middle(crowded) < middle(cool)


def test_a_missing_room_temperature_is_this_months_usual(owner_client, owner):
    known, unknown = make_culture(owner, "Known"), make_culture(owner, "Unknown")
    history(known, [14, 14, 15, 14], celsius=27, days_apart=1)
    history(unknown, [14, 14, 15, 14], celsius=27, days_apart=1)
    given = forecast(owner_client, known, room_temp_c=Decimal(27))
    assumed = forecast(owner_client, unknown, room_temp_c=None)
    if timezone.now().day > 5:  # the history above is all this month's
        assert (
            assumed["note"] == "No room temperature was given: taken as 27 °C, this month's usual."
        )
    else:
        assert assumed["note"].startswith("No room temperature was given: taken as 27 °C")
    assert (assumed["low"], assumed["high"]) == (given["low"], given["high"])
    assert given["note"] == ""

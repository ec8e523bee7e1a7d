"""A generated kitchen whose room temperature swings with the seasons.

Its true ferment times are NOT the model's own formula: speed doubles every
7.5 °C (the model's prior says 6), grains per litre count less (power 0.35,
the prior says 0.5), each colony has its own pace, noise is log-normal, some
jars are forgotten for days, some batches have no room temperature, and a few
discarded ones ran on for days (the model must not learn from them).
"""

import math
import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kefir_tracker.batches.models import Base, Batch, number_in_start_order
from tests.factories import make_culture

DAYS = 365


def truth_hours(kind, grams, ml, celsius, pace) -> float:
    reference, per_litre = (50.0, 45.0) if kind == "water" else (22.0, 60.0)
    speed = 2 ** ((celsius - 22) / 7.5) * ((grams * 1000 / ml) / per_litre) ** 0.35
    return reference * pace / speed


def kitchen_year(owner, seed=11, days=DAYS):
    """About a year of batches for three colonies; returns the batches written."""
    rng = random.Random(seed)
    start = timezone.now() - timedelta(days=days)
    colonies = [
        (make_culture(owner, "Quick"), "milk", [Base.COW, Base.COW, Base.GOAT], 0.8),
        (make_culture(owner, "Slow"), "milk", [Base.COW], 1.25),
        (make_culture(owner, "Fizzy", kind="water"), "water", [Base.WATER], 1.0),
    ]
    batches = []
    for culture, kind, bases, pace in colonies:
        day = rng.uniform(0, 3)
        count = 0
        while day < days - 4:
            at = start + timedelta(days=day)
            season = math.sin(2 * math.pi * (at.timetuple().tm_yday - 110) / 365)
            celsius = round(22 + 5 * season + rng.gauss(0, 1.2), 1)
            grams = rng.uniform(15, 30) if kind == "milk" else rng.uniform(35, 60)
            ml = 1000 if kind == "water" else rng.choice([250, 400, 500, 750])
            hours = truth_hours(kind, grams, ml, celsius, pace) * math.exp(rng.gauss(0, 0.12))
            discarded = rng.random() < 0.02
            if rng.random() < 0.03 or discarded:  # forgotten on the counter
                hours *= rng.uniform(2, 3)
            batches.append(
                Batch(
                    owner=owner,
                    culture=culture,
                    base=bases[count % len(bases)],
                    volume_ml=Decimal(ml),
                    grains_in_g=Decimal(f"{grams:.1f}"),
                    sugar_g=Decimal(50) if kind == "water" else None,
                    started_at=at,
                    strained_at=at + timedelta(hours=hours),
                    room_temp_c=None if rng.random() < 0.12 else Decimal(str(celsius)),
                    discarded=discarded,
                    discarded_at=at + timedelta(hours=hours) if discarded else None,
                )
            )
            count += 1
            day += hours / 24 + rng.uniform(0.3, 1.5)
    number_in_start_order(batches)
    return Batch.objects.bulk_create(batches)

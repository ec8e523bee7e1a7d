"""Fill a database for the benchmark: 10,000 batches over 50 cultures, a lineage
1,000 generations deep, and a second account whose fermenting batches (one jar of
grains each) the strain benchmark strains one by one. Run by bench/run through manage.py's settings."""

import random
import sys
from datetime import timedelta
from decimal import Decimal

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from kefir_tracker.accounts.models import User  # noqa: E402
from kefir_tracker.batches.models import (  # noqa: E402
    Base,
    Batch,
    TastingNote,
    number_in_start_order,
)
from kefir_tracker.grains.models import Culture, Kind, Origin, Status, Weighing  # noqa: E402

BATCHES, CULTURES, DEPTH = 10_000, 50, 1_000
PASSWORD = "bench-password"
WORDS = [
    "thick",
    "tangy",
    "smooth",
    "sour",
    "mild",
    "fizzy",
    "creamy",
    "separated",
    "yeasty",
    "sweet",
    "honey",
    "strawberry",
    "ginger",
    "lemon",
    "summer",
    "winter",
    "grandma",
    "jar",
    "fridge",
    "lovely",
]


def user(name):
    person = User(username=name)
    person.set_password(PASSWORD)
    person.save()
    return person


def sentence(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))).capitalize() + "."


def seed(strain_batches: int) -> None:
    rng = random.Random(1)
    now = timezone.now()
    owner = user("bench")
    cultures = []
    for n in range(CULTURES):
        water = n % 10 == 9
        parent = cultures[n - 1] if n % 10 else None  # five lineages of ten
        cultures.append(
            Culture.objects.create(
                owner=owner,
                name=f"Grains {n + 1:02d}",
                kind=Kind.WATER if water else Kind.MILK,
                parent=parent
                if parent and parent.kind == (Kind.WATER if water else Kind.MILK)
                else None,
                origin=Origin.SPLIT if parent else Origin.BOUGHT,
                # Older generations have been retired; each lineage keeps its newest going.
                status={9: Status.ACTIVE, 8: Status.ACTIVE, 7: Status.RESTING}.get(
                    n % 10, Status.RETIRED
                ),
            )
        )
    deep = []
    for n in range(DEPTH):
        deep.append(
            Culture.objects.create(
                owner=owner,
                name=f"Deep {n:04d}",
                parent=deep[-1] if deep else None,
                origin=Origin.SPLIT if deep else Origin.GIFT,
                status=Status.ACTIVE if n == DEPTH - 1 else Status.RETIRED,
            )
        )
    batches = []
    for n in range(BATCHES):
        culture = cultures[n % CULTURES]
        water = culture.kind == Kind.WATER
        started = now - timedelta(hours=4.4 * (BATCHES - n) + rng.uniform(0, 2))
        fermenting = n >= BATCHES - 5
        batches.append(
            Batch(
                owner=owner,
                culture=culture,
                base=Base.WATER
                if water
                else rng.choice([Base.COW, Base.COW, Base.GOAT, Base.SOY, Base.COCONUT]),
                volume_ml=Decimal(rng.choice([250, 500, 750, 1000])),
                grains_in_g=Decimal(rng.randint(10, 40)),
                sugar_g=Decimal(50) if water else None,
                room_temp_c=Decimal(rng.randint(180, 280)) / 10,
                started_at=started,
                strained_at=None if fermenting else started + timedelta(hours=rng.uniform(12, 40)),
                notes=sentence(rng) if rng.random() < 0.6 else "",
            )
        )
    for culture in (deep[0], deep[-1]):
        for n in range(30):
            started = now - timedelta(days=60 - n * 2)
            batches.append(
                Batch(
                    owner=owner,
                    culture=culture,
                    base=Base.COW,
                    volume_ml=Decimal(500),
                    grains_in_g=Decimal(25),
                    started_at=started,
                    strained_at=started + timedelta(hours=22),
                )
            )
    number_in_start_order(batches)
    Batch.objects.bulk_create(batches, batch_size=1000)
    TastingNote.objects.bulk_create(
        (
            TastingNote(
                batch=b,
                tasted_at=b.strained_at + timedelta(hours=1),
                rating=rng.randint(1, 5),
                sourness=rng.randint(1, 5),
                notes=sentence(rng),
            )
            for b in batches
            if b.strained_at and rng.random() < 0.7
        ),
        batch_size=1000,
    )
    Weighing.objects.bulk_create(
        Weighing(culture=c, weighed_at=now - timedelta(days=7 * w), grams=Decimal(20 + w))
        for c in [*cultures, deep[0], deep[-1]]
        for w in range(12)
    )

    strainer = user("bench-strain")
    # One jar of grains per batch to strain: a colony ferments one batch at a time.
    jars = Culture.objects.bulk_create(
        Culture(owner=strainer, name=f"Jar {n:05d}") for n in range(strain_batches)
    )
    to_strain = [
        Batch(
            owner=strainer,
            culture=jar,
            base=Base.COW,
            volume_ml=Decimal(500),
            grains_in_g=Decimal(25),
            started_at=now - timedelta(hours=20, seconds=n),
        )
        for n, jar in enumerate(jars)
    ]
    number_in_start_order(to_strain)
    Batch.objects.bulk_create(to_strain, batch_size=1000)


if __name__ == "__main__":
    with transaction.atomic():
        seed(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
    print(f"Seeded {Batch.objects.count():,} batches, {Culture.objects.count():,} cultures.")

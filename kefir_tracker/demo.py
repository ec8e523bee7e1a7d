"""A realistic year of home fermentation for the demo account.

Three lineages of grains (two milk, one water) over four generations, with
splits, a gift and a dried spare; about 300 batches whose first-ferment times
follow the domain rules in DESIGN.md: faster when warmer (doubling about every
6 °C) and when there are more grains per litre; tasting notes, second
ferments, a few discarded batches and weekly weighings. The same seed gives
the same year, ending at the moment the command runs.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kefir_tracker.accounts.models import User
from kefir_tracker.batches.models import Base, Batch, TastingNote, number_in_start_order
from kefir_tracker.grains.models import Culture, Kind, Origin, Status, StatusChange, Weighing

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"
DAYS = 365
# Who did it: the field of a batch that says it happened, and the one that says who.
WHO_DID_IT = {
    "strained_at": "strained_by",
    "bottled_at": "bottled_by",
    "finished_at": "finished_by",
    "discarded": "discarded_by",
}

FLAVOURS_MILK = [
    "strawberry",
    "vanilla and cinnamon",
    "mango",
    "cardamom",
    "blueberry",
    "lemon zest",
]
FLAVOURS_WATER = ["ginger and lemon", "raspberry", "dried figs", "elderflower", "pineapple skin"]
NOTES_GOOD = [
    "Thick and tangy, lovely with honey.",
    "Smooth, mild, kids liked it.",
    "Creamy, slightly sparkling. Perfect.",
    "Good body, clean sour taste.",
]
NOTES_SOUR = [
    "Very sour, starting to separate.",
    "Curds and whey — left it too long.",
    "Sharp, yeasty smell.",
]
NOTES_THIN = ["Thin and sweet, needed a few more hours.", "Barely set, mild."]
NOTES_WATER = ["Fizzy and dry.", "Sweet, little fizz.", "Nice bubbles after the second ferment."]
DISCARD_REASONS = ["Pink spots of mould on the surface.", "Forgot it for three days in the heat."]


@dataclass
class Grains:
    """One culture as the simulation tracks it before it is written."""

    name: str
    kind: str
    born: int  # day it joined the household
    grams: float
    parent: "Grains | None" = None
    origin: str = Origin.SPLIT
    source: str = ""
    status: str = Status.ACTIVE
    given_to: str = ""
    bases: list = field(default_factory=lambda: [Base.COW])
    pause: tuple = (1.0, 1.8)  # days in the fridge between batches
    last_bases: list = field(default_factory=list)  # bases of its most recent batches
    weights: list = field(default_factory=list)  # (day, grams)
    record: Culture | None = None


def room_temperature(day: int, rng: random.Random) -> float:
    """Kitchen temperature over the year: about 19 °C in January, 26 °C in July."""
    date = timezone.localdate() - timedelta(days=DAYS - day)
    season = math.sin(2 * math.pi * (date.timetuple().tm_yday - 110) / 365)
    return round(22.5 + 3.5 * season + rng.uniform(-1.2, 1.2), 1)


def first_ferment_hours(kind: str, grams: float, ml: float, celsius: float) -> float:
    """Hours until ready: the DESIGN.md chart, about twice as fast every 6 °C warmer."""
    if kind == Kind.WATER:
        reference, reference_ratio = 56.0, 45 / 1000  # 45 g per litre at 20 °C
    else:
        reference, reference_ratio = 26.0, 15 / 250  # 15 g per 250 ml at 20 °C
    speed = 2 ** ((celsius - 20) / 6) * math.sqrt((grams / ml) / reference_ratio)
    return reference / speed


def lineages() -> list[Grains]:
    babushka = Grains(
        "Babushka",
        Kind.MILK,
        0,
        22,
        origin=Origin.GIFT,
        source="Grandma Vera's jar, Tbilisi",
        bases=[Base.COW] * 6 + [Base.SOY],
    )
    babushka_2 = Grains(
        "Babushka II", Kind.MILK, 95, 18, parent=babushka, bases=[Base.COW] * 4 + [Base.COCONUT]
    )
    annas = Grains(
        "Anna's jar",
        Kind.MILK,
        95,
        12,
        parent=babushka,
        status=Status.GIVEN_AWAY,
        given_to="Anna from the choir",
    )
    babushka_3 = Grains(
        "Babushka III", Kind.MILK, 210, 16, parent=babushka_2, bases=[Base.COW] * 3 + [Base.GOAT]
    )
    spare = Grains("Dried spare", Kind.MILK, 210, 10, parent=babushka_2, status=Status.DRIED)
    # Lately only plant milks: the app suggests a dairy batch to refresh them.
    little_b = Grains(
        "Little B",
        Kind.MILK,
        300,
        12,
        parent=babushka_3,
        bases=[Base.COW] * 3 + [Base.GOAT],
        last_bases=[Base.SOY, Base.COCONUT, Base.SOY],
    )
    highland = Grains(
        "Highland",
        Kind.MILK,
        20,
        15,
        origin=Origin.BOUGHT,
        source="Farm shop near Brecon",
        bases=[Base.GOAT] * 3 + [Base.COW],
        pause=(2.5, 4.5),
    )
    highland_2 = Grains(
        "Highland goat", Kind.MILK, 160, 14, parent=highland, bases=[Base.GOAT], pause=(2.5, 4.5)
    )
    toms = Grains(
        "Tom's share",
        Kind.MILK,
        160,
        10,
        parent=highland,
        status=Status.GIVEN_AWAY,
        given_to="Tom next door",
    )
    tibicos = Grains(
        "Tibicos",
        Kind.WATER,
        40,
        60,
        origin=Origin.GIFT,
        source="Marta at the Saturday market",
        bases=[Base.WATER],
        pause=(1.5, 3.5),
    )
    tibicos_2 = Grains(
        "Tibicos B", Kind.WATER, 185, 45, parent=tibicos, bases=[Base.WATER], pause=(1.5, 3.5)
    )
    return [
        babushka,
        babushka_2,
        annas,
        babushka_3,
        spare,
        little_b,
        highland,
        highland_2,
        toms,
        tibicos,
        tibicos_2,
    ]


# When each culture is in use: (culture name, first day, last day or None = still going).
SCHEDULE = [
    ("Babushka", 0, 95),
    ("Babushka II", 95, 210),
    ("Babushka III", 210, 300),
    ("Little B", 300, None),
    ("Highland", 20, 160),
    ("Highland goat", 160, 250),
    ("Tibicos", 40, 185),
    ("Tibicos B", 185, None),
]
# Grains set to rest in the fridge (name, from day); the rest of the year they stay as listed.
RESTING = {
    "Babushka": 95,
    "Highland": 160,
    "Tibicos": 185,
    "Babushka II": 210,
    "Highland goat": 250,
    "Babushka III": 300,
}
# Days since resting grains last got fresh milk; Highland goat is overdue (every 7-10 days).
MILK_CHANGED_DAYS_AGO = {"Highland goat": 12}


class DemoYear:
    def __init__(self, user: User, seed: int = 7):
        self.user = user
        self.rng = random.Random(seed)
        self.now = timezone.now().replace(second=0, microsecond=0)
        self.start = self.now - timedelta(days=DAYS)
        self.grains = {g.name: g for g in lineages()}
        self.batches: list[Batch] = []
        self.tastings: list[tuple[int, TastingNote]] = []

    def at(self, day: float) -> datetime:
        return self.start + timedelta(days=day)

    def run(self) -> None:
        self.write_cultures()
        for name, first, last in SCHEDULE:
            g = self.grains[name]
            if not self.ferment(g, first, DAYS if last is None else last) and last is None:
                self.batches.append(self.fermenting_now(g))
            mine = [b for b in self.batches if b.culture is g.record]
            for batch, base in zip(mine[-len(g.last_bases) :], g.last_bases, strict=False):
                batch.base = base
        self.this_morning()
        self.write_batches()
        self.write_weighings()

    def write_cultures(self) -> None:
        for g in self.grains.values():  # parents come before their children
            status = Status.RESTING if g.name in RESTING else g.status
            g.record = Culture.objects.create(
                owner=self.user,
                name=g.name,
                kind=g.kind,
                origin=g.origin,
                source=g.source,
                parent=g.parent.record if g.parent else None,
                acquired_on=self.at(g.born).date(),
                status=status,
                given_to=g.given_to,
                status_changed_at=self.at(RESTING.get(g.name, g.born)),
                rest_milk_changed_at=(
                    self.now - timedelta(days=MILK_CHANGED_DAYS_AGO.get(g.name, 4))
                    if status == Status.RESTING
                    else None
                ),
            )
            if status != Status.ACTIVE:
                StatusChange.objects.create(
                    culture=g.record,
                    status=status,
                    changed_at=g.record.status_changed_at,
                    given_to=g.given_to,
                    from_status=Status.ACTIVE,
                    from_changed_at=self.at(g.born),
                )
            g.weights.append((g.born - 1 / 24, g.grams))  # before its first batch

    def ferment(self, g: Grains, first: int, last: int) -> bool:
        """Batches one after another from ``first`` to ``last``; True if one is still going."""
        rng, day, grams, count = self.rng, float(first), g.grams, 0
        next_weighing = first + 7
        water = g.kind == Kind.WATER
        while day < last:
            celsius = room_temperature(int(day), rng)
            base = g.bases[count % len(g.bases)]
            grams_in = round(grams, 1)  # all the grains go in: the chart follows them
            ml = 1000 if water else max(250, round(grams_in * rng.uniform(15, 20) / 50) * 50)
            hours = first_ferment_hours(g.kind, grams_in, ml, celsius) * rng.uniform(0.85, 1.2)
            started = self.at(day) + timedelta(minutes=rng.randint(-40, 40))
            still_going = started + timedelta(hours=hours) > self.now
            batch = Batch(
                owner=self.user,
                culture=g.record,
                base=base,
                volume_ml=Decimal(ml),
                grains_in_g=Decimal(str(grams_in)),
                started_at=started,
                room_temp_c=Decimal(str(celsius)),
                sugar_g=Decimal(rng.choice([50, 55])) if water else None,
            )
            growth = (1.02 if water else 1.022) ** (hours / 24)
            grams = grams * growth
            if not still_going:
                self.finish(batch, g, hours, growth)
            self.batches.append(batch)
            count += 1
            if still_going:
                return True
            day += hours / 24 + rng.uniform(*g.pause)
            # Weighed out of the fridge an hour before the next batch (which starts
            # within 40 minutes of ``day``): once a week, and after taking some off.
            if day >= next_weighing:
                g.weights.append((day - 1 / 24, round(grams, 1)))
                next_weighing += 7
            if grams > (90 if water else 35):  # ate the extra grains, or shared them
                grams = grams * 0.6
                g.weights.append((day - 55 / 1440, round(grams, 1)))
        g.grams = grams
        return False

    def fermenting_now(self, g: Grains) -> Batch:
        water = g.kind == Kind.WATER
        grams_in = round(g.grams, 1)
        return Batch(
            owner=self.user,
            culture=g.record,
            base=g.bases[0],
            volume_ml=Decimal(1000 if water else 500),
            grains_in_g=Decimal(str(grams_in)),
            started_at=self.now - timedelta(hours=self.rng.uniform(3, 14)),
            room_temp_c=Decimal(str(room_temperature(DAYS, self.rng))),
            sugar_g=Decimal(50) if water else None,
        )

    def finish(self, batch: Batch, g: Grains, hours: float, growth: float) -> None:
        rng = self.rng
        batch.strained_at = batch.started_at + timedelta(hours=hours)
        if rng.random() < 0.35:
            batch.grains_out_g = (batch.grains_in_g * Decimal(str(round(growth, 3)))).quantize(
                Decimal("0.1")
            )
        if rng.random() < 0.012:
            batch.discarded, batch.discard_reason = True, rng.choice(DISCARD_REASONS)
            batch.discarded_at = batch.strained_at
            return
        water = g.kind == Kind.WATER
        if rng.random() < (0.5 if water else 0.2):
            batch.flavourings = rng.choice(FLAVOURS_WATER if water else FLAVOURS_MILK)
            batch.bottled_at = batch.strained_at + timedelta(minutes=rng.randint(10, 60))
            second = timedelta(hours=rng.uniform(24, 60) if water else rng.uniform(4, 12))
            if batch.bottled_at + second < self.now:
                batch.finished_at = batch.bottled_at + second
        if rng.random() < 0.75:
            self.tastings.append((len(self.batches), self.tasting(batch, hours, water)))

    def tasting(self, batch: Batch, hours: float, water: bool) -> TastingNote:
        rng = self.rng
        ideal = 48 if water else 24
        off = math.log(hours / ideal)  # <0 under-fermented, >0 over-fermented
        rating = max(1, min(5, round(4.6 - 2.2 * abs(off) + rng.uniform(-0.8, 0.6))))
        sourness = max(1, min(5, round(3 + 3 * off + rng.uniform(-0.5, 0.5))))
        if water:
            text, thickness = rng.choice(NOTES_WATER), None
        else:
            text = rng.choice(
                NOTES_SOUR if off > 0.35 else NOTES_THIN if off < -0.35 else NOTES_GOOD
            )
            thickness = max(1, min(5, round(4 - (batch.base != Base.COW) - 2 * max(-off, 0))))
        tasted = (batch.finished_at or batch.strained_at) + timedelta(minutes=rng.randint(20, 600))
        return TastingNote(
            tasted_at=min(tasted, self.now),
            rating=rating,
            sourness=sourness,
            fizz=max(1, min(5, round(2 + (3 if water else 1) * rng.random()))),
            thickness=thickness,
            notes=text,
        )

    def this_morning(self) -> None:
        """Today shows every part of the cycle: the latest strained batch of the milk
        grains still waits for a tasting (strained within the last two days: their
        pause between batches is shorter), and the water grains' latest is in bottles,
        a second ferment under way. Without a draw from ``rng``: the year stays as it was."""
        for name, bottle in (("Little B", False), ("Tibicos B", True)):
            record = self.grains[name].record
            strained = [
                (index, batch)
                for index, batch in enumerate(self.batches)
                if batch.culture is record and batch.strained_at and not batch.discarded
            ]
            index, batch = strained[-1]
            self.tastings = [(i, note) for i, note in self.tastings if i != index]
            if bottle:
                batch.flavourings = batch.flavourings or FLAVOURS_WATER[0]
                batch.bottled_at = batch.bottled_at or batch.strained_at + timedelta(minutes=20)
                batch.finished_at = None

    def write_batches(self) -> None:
        number_in_start_order(self.batches)
        for batch in self.batches:  # the demo person did everything in their kitchen
            for done, person in WHO_DID_IT.items():
                if getattr(batch, done):
                    setattr(batch, person, self.user)
        Batch.objects.bulk_create(self.batches)
        for index, note in self.tastings:
            note.batch = self.batches[index]
            note.author = self.user
        TastingNote.objects.bulk_create(note for _, note in self.tastings)

    def write_weighings(self) -> None:
        Weighing.objects.bulk_create(
            Weighing(culture=g.record, weighed_at=self.at(day), grams=Decimal(str(grams)))
            for g in self.grains.values()
            for day, grams in g.weights
        )


def load_demo_data(seed: int = 7) -> User:
    """Create the demo user with a year of data; returns the user. Not idempotent by itself."""
    with transaction.atomic():
        user = User(username=DEMO_USERNAME, first_name="Demo")
        user.set_password(DEMO_PASSWORD)
        user.save()
        fill_with_demo_year(user, seed)
    return user


def fill_with_demo_year(user: User, seed: int = 7) -> None:
    """Give ``user`` (an account with nothing logged yet) the demo year."""
    with transaction.atomic():
        DemoYear(user, seed).run()

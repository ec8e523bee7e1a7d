"""What the Insights page is drawn from, read from the database in a few queries
whatever the length of the history: sums and means are the database's, and the
rows that come back are one per batch of the last year (the scatter needs each
one), or a few per month, base or culture.

Months and weeks are the person's own (their time zone, weeks from Monday).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from django.db.models import Avg, Case, CharField, Count, DateField, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from kefir_tracker import dates
from kefir_tracker.batches.models import Base, Batch, TastingNote
from kefir_tracker.grains.chart import DROP, weight_points
from kefir_tracker.grains.models import Culture, Weighing

MONTHS = 12
GROWTH_WEEKS = 8
# A step between two weights outside these ratios is grains taken off, split or added
# (or a typo), not growth: left out of the weekly growth.
GROWTH_STEP = (DROP, 1 / DROP)
# Weights this long before the first week give its first step.
LEAD = timedelta(weeks=3)


@dataclass(frozen=True)
class FermentPoint:
    base: str
    celsius: float
    hours: float


@dataclass
class FermentTimes:
    points: list[FermentPoint]
    without_temperature: int  # strained batches of the year with no room temperature


def months_back(today: date, count=MONTHS) -> list[date]:
    """The first days of the last ``count`` months, oldest first, this month last."""
    year, month = today.year, today.month
    firsts = []
    for _ in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def ferment_times(owner, since: datetime) -> FermentTimes:
    """Strained batches (not discarded) since ``since``: room temperature and hours."""
    rows = (
        Batch.objects.for_user(owner)
        .filter(strained_at__isnull=False, discarded=False, strained_at__gte=since)
        .order_by()
        .values_list("base", "room_temp_c", "started_at", "strained_at")
    )
    points, without = [], 0
    for base, celsius, started, strained in rows:
        if celsius is None:
            without += 1
            continue
        hours = (strained - started).total_seconds() / 3600
        points.append(FermentPoint(base, float(celsius), hours))
    return FermentTimes(points, without)


@dataclass(frozen=True)
class Rating:
    name: str
    mean: float
    notes: int
    key: str = ""  # the base, or the culture's pk


def ratings_by_base(owner) -> list[Rating]:
    rows = (
        TastingNote.objects.for_user(owner)
        .order_by()
        .values("batch__base")
        .annotate(mean=Avg("rating"), notes=Count("id"))
    )
    labels = dict(Base.choices)
    return _best_first(
        Rating(
            str(labels.get(r["batch__base"], r["batch__base"])).capitalize(),
            r["mean"],
            r["notes"],
            r["batch__base"],
        )
        for r in rows
    )


def ratings_by_grains(owner) -> list[Rating]:
    rows = (
        TastingNote.objects.for_user(owner)
        .order_by()
        .values("batch__culture_id", "batch__culture__name")
        .annotate(mean=Avg("rating"), notes=Count("id"))
    )
    return _best_first(
        Rating(r["batch__culture__name"], r["mean"], r["notes"], str(r["batch__culture_id"]))
        for r in rows
    )


def _best_first(ratings) -> list[Rating]:
    return sorted(ratings, key=lambda r: (-round(r.mean, 1), -r.notes, r.name.lower()))


@dataclass
class Month:
    first: date
    milk_ml: Decimal = Decimal(0)
    water_ml: Decimal = Decimal(0)

    @property
    def total_ml(self) -> Decimal:
        return self.milk_ml + self.water_ml

    @property
    def name(self) -> str:
        """'Mar 2026'."""
        return f"{dates.MONTHS[self.first.month - 1]} {self.first.year}"


def volume_by_month(owner, today: date) -> list[Month]:
    """Kefir made (strained, not discarded) in each of the last 12 months, milk and water."""
    months = {first: Month(first) for first in months_back(today)}
    kind = Case(
        When(base=Base.WATER, then=Value("water")), default=Value("milk"), output_field=CharField()
    )
    rows = (
        Batch.objects.for_user(owner)
        .filter(
            strained_at__isnull=False,
            discarded=False,
            strained_at__gte=local_midnight(min(months)),
        )
        .annotate(
            month=TruncMonth("strained_at", output_field=DateField()),
            kind=kind,
        )
        .order_by()
        .values("month", "kind")
        .annotate(ml=Sum("volume_ml"))
    )
    for row in rows:
        month = months.get(row["month"])
        if month is None:  # strained after midnight of the last day (a clock moved back)
            continue
        if row["kind"] == "water":
            month.water_ml += Decimal(row["ml"])
        else:
            month.milk_ml += Decimal(row["ml"])
    return list(months.values())


@dataclass
class Week:
    monday: date
    growth: float | None = None  # a fraction per week: 0.15 is 15 % a week


@dataclass
class Growth:
    culture: Culture
    weeks: list[Week] = field(default_factory=list)
    overall: float | None = None  # over all the weeks, per week

    @property
    def measured(self) -> list[Week]:
        return [week for week in self.weeks if week.growth is not None]


def mondays_back(today: date, count=GROWTH_WEEKS) -> list[date]:
    """The Mondays of the last ``count`` whole weeks, oldest first (not this week)."""
    this_monday = today - timedelta(days=today.weekday())
    return [this_monday - timedelta(weeks=n) for n in range(count, 0, -1)]


def grains_growth(owner, today: date) -> list[Growth]:
    """Growth per week of each culture over the last whole weeks, from its weights
    (weighings, grains put into and taken out of batches) in time order: each step from
    one weight to the next counts in the week it ends in, and a week's steps together
    give its growth, scaled to seven days. Steps that took grains off (a split) or
    added some are left out."""
    mondays = mondays_back(today)
    start, end = local_midnight(mondays[0]), local_midnight(mondays[-1] + timedelta(weeks=1))
    since = start - LEAD
    weighings, batches = {}, {}
    for culture_id, *row in (
        Weighing.objects.for_user(owner)
        .filter(weighed_at__gte=since, weighed_at__lt=end)
        .order_by()
        .values_list("culture_id", "weighed_at", "grams")
    ):
        weighings.setdefault(culture_id, []).append(row)
    for culture_id, *row in (
        Batch.objects.for_user(owner)
        .filter(started_at__gte=since, started_at__lt=end)
        .order_by()
        .values_list(
            "culture_id",
            "number",
            "pk",
            "started_at",
            "grains_in_g",
            "strained_at",
            "grains_out_g",
        )
    ):
        batches.setdefault(culture_id, []).append(row)
    ids = set(weighings) | set(batches)
    if not ids:
        return []
    cultures = Culture.objects.for_user(owner).filter(pk__in=ids).only("name", "kind")
    found = []
    for culture in cultures:
        points = weight_points(weighings.get(culture.pk, []), batches.get(culture.pk, []), since)
        growth = _weekly(culture, [p for p in points if p.when < end], mondays, start)
        if growth.measured:
            found.append(growth)
    return found


def _weekly(culture, points, mondays, start) -> Growth:
    week_of = {monday: Week(monday) for monday in mondays}
    factor = dict.fromkeys(mondays, 1.0)
    seconds = dict.fromkeys(mondays, 0.0)
    low, high = GROWTH_STEP
    for a, b in pairwise(points):
        if b.when < start or not low <= b.grams / a.grams <= high:
            continue
        local = timezone.localdate(b.when)
        monday = local - timedelta(days=local.weekday())
        if monday not in week_of:
            continue
        factor[monday] *= b.grams / a.grams
        seconds[monday] += (b.when - a.when).total_seconds()
    day, week = 86400, 7 * 86400
    for monday, row in week_of.items():
        if seconds[monday] >= day:
            row.growth = factor[monday] ** (week / seconds[monday]) - 1
    total_seconds = sum(seconds.values())
    overall = None
    if total_seconds >= day:
        total = 1.0
        for value in factor.values():
            total *= value
        overall = total ** (week / total_seconds) - 1
    return Growth(culture, list(week_of.values()), overall)

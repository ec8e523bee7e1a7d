"""The weight-over-time chart of a culture, drawn on the server as SVG coordinates.

Points come from weighings and from grains put into and taken out of batches.
For comparison, a band shows how healthy grains grow: 10 to 20 % a week, counted
from the latest weight after the most recent big drop (a split), so a split
does not make the grains look sick.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from kefir_tracker import dates

WINDOW = timedelta(weeks=12)
GROWTH_LOW, GROWTH_HIGH = 1.10, 1.20  # per week
DROP = 0.8  # a fall below 80 % of the previous point counts as a split or a loss
WIDTH, HEIGHT = 340, 190
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 10, 26
BAND_STEPS = 24


@dataclass(frozen=True)
class Point:
    when: datetime
    grams: float
    source: str  # "weighing", "in" or "out"

    @property
    def label(self) -> str:
        """'25.5 g, 3 Mar' (built here: dozens of dots per chart)."""
        return f"{round(self.grams, 1):g} g, {dates.day_and_month(timezone.localtime(self.when))}"


@dataclass
class WeightChart:
    points: list[Point]
    width: int = WIDTH
    height: int = HEIGHT
    dots: list[tuple[float, float, Point]] = field(default_factory=list)
    line: str = ""
    band: str = ""
    band_since: date | None = None
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)

    @property
    def is_drawable(self) -> bool:
        return len(self.points) >= 2

    @property
    def plot_left(self):
        return LEFT

    @property
    def plot_right(self):
        return self.width - RIGHT

    @property
    def plot_bottom(self):
        return self.height - BOTTOM


def _as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, datetime.min.time()) + timedelta(hours=12))


def _nice_step(top: float) -> float:
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def weight_chart(weighings, batch_grams, now=None) -> WeightChart:
    """``weighings``: (date, grams) pairs; ``batch_grams``: (started, in, strained, out) rows."""
    now = now or timezone.now()
    start = now - WINDOW
    points = [Point(_as_datetime(day), float(grams), "weighing") for day, grams in weighings]
    for started_at, grams_in, strained_at, grams_out in batch_grams:
        points.append(Point(started_at, float(grams_in), "in"))
        if strained_at is not None and grams_out is not None:
            points.append(Point(strained_at, float(grams_out), "out"))
    points = sorted((p for p in points if start <= p.when <= now), key=lambda p: p.when)
    chart = WeightChart(points)
    if not chart.is_drawable:
        return chart

    first, last = points[0].when, max(points[-1].when, now)
    span = max((last - first).total_seconds(), 1)
    anchor = 0
    for index in range(1, len(points)):
        if points[index].grams < DROP * points[index - 1].grams:
            anchor = index
    base = points[anchor]
    top = max(p.grams for p in points) * 1.15
    step = _nice_step(top)
    top = step * math.ceil(top / step)

    def x(when):
        return round(LEFT + (when - first).total_seconds() / span * (chart.plot_right - LEFT), 1)

    def y(grams):
        grams = min(grams, top)
        return round(TOP + (1 - grams / top) * (chart.plot_bottom - TOP), 1)

    chart.dots = [(x(p.when), y(p.grams), p) for p in points]
    chart.line = " ".join(f"{dx},{dy}" for dx, dy, _ in chart.dots)
    moments = [base.when + (last - base.when) * i / BAND_STEPS for i in range(BAND_STEPS + 1)]

    def grown(rate, when):
        return base.grams * rate ** ((when - base.when).total_seconds() / 604800)

    upper = [f"{x(m)},{y(grown(GROWTH_HIGH, m))}" for m in moments]
    lower = [f"{x(m)},{y(grown(GROWTH_LOW, m))}" for m in reversed(moments)]
    chart.band = " ".join(upper + lower)
    chart.band_since = timezone.localdate(base.when)
    chart.y_ticks = [
        (y(value), f"{value:g} g") for value in (step * i for i in range(round(top / step) + 1))
    ]
    chart.x_ticks = [
        (x(when), dates.day_and_month(timezone.localtime(when)))
        for when in (first, first + (last - first) / 2, last)
    ]
    return chart

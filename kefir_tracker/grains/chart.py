"""The weight-over-time chart of a culture, drawn on the server as SVG coordinates.

Points come from weighings and from grains put into and taken out of batches,
in the order they happened. For comparison, a band shows how healthy grains
grow: 10 to 20 % a week, counted from the first weight and again from the
weight after every big drop (a split), so a split neither makes the grains
look sick nor squashes the band into the days since it.

Labels (the axes, the first and latest weights) are placed where they cover
no point and no other label; a value label with no free place is left out
(the table under the chart has every value).
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.db.models import Q
from django.utils import timezone

from kefir_tracker import dates, svg
from kefir_tracker.svg import GAP, Box, Label, crosses, nice_step, without_overlaps
from kefir_tracker.templating import moment

WINDOW = timedelta(weeks=12)
GROWTH_LOW, GROWTH_HIGH = 1.10, 1.20  # per week
DROP = 0.8  # a fall below 80 % of the previous point counts as a split or a loss
WIDTH, HEIGHT = 340, 190
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 10, 26
PAD = 8  # between the y-axis labels and the first point, and after the last one
BAND_STEPS = 24
CHAR_WIDTH, ASCENT, DESCENT = svg.char_width(), svg.ascent(), svg.descent()
DOT_RADIUS = {"weighing": 3.5, "in": 2, "out": 2}
DOT_STROKE = 1  # half the weighing dot's stroke
# Same instant: strained first, then weighed, then put into the next batch.
SAME_TIME_ORDER = {"out": 0, "weighing": 1, "in": 2}
WHAT = {"weighing": "weighed", "in": "into batch", "out": "out of batch"}


@dataclass
class Point:
    when: datetime
    grams: float
    source: str  # "weighing", "in" or "out"
    batch_number: int | None = None
    batch_pk: int | None = None

    @property
    def grams_text(self) -> str:
        return f"{round(self.grams, 1):g} g"

    @property
    def what(self) -> str:
        if self.batch_number is None:
            return WHAT[self.source]
        return f"{WHAT[self.source]} {self.batch_number}"

    # Cached: the dot's title and the table's row both show the time, for up to a
    # couple of hundred points a page.
    @cached_property
    def when_text(self) -> str:
        return moment(self.when)

    @cached_property
    def label(self) -> str:
        """'25.5 g, Tue 3 Mar, 07:30, weighed' (built here: dozens of dots per chart)."""
        return f"{self.grams_text}, {self.when_text}, {self.what}"


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    point: Point

    @property
    def box(self) -> Box:
        reach = self.r + DOT_STROKE
        return Box(self.x - reach, self.y - reach, self.x + reach, self.y + reach)


@dataclass
class WeightChart:
    points: list[Point]
    width: int = WIDTH
    height: int = HEIGHT
    dots: list[Dot] = field(default_factory=list)
    line: str = ""
    bands: list[str] = field(default_factory=list)
    y_ticks: list[tuple[float, Label]] = field(default_factory=list)
    x_ticks: list[Label] = field(default_factory=list)
    values: list[Label] = field(default_factory=list)  # the first and latest weights
    plot_left: float = LEFT  # wider when the weights on the axis are long

    @property
    def is_drawable(self) -> bool:
        return len(self.points) >= 2

    @property
    def plot_right(self):
        return self.width - RIGHT

    @property
    def plot_bottom(self):
        return self.height - BOTTOM

    @property
    def rows(self) -> list[Point]:
        """The points for the table, newest first."""
        return self.points[::-1]


def weight_points(weighings, batch_grams, start) -> list[Point]:
    points = [Point(when, float(grams), "weighing") for when, grams in weighings]
    for number, pk, started_at, grams_in, strained_at, grams_out in batch_grams:
        points.append(Point(started_at, float(grams_in), "in", number, pk))
        if strained_at is not None and grams_out is not None:
            points.append(Point(strained_at, float(grams_out), "out", number, pk))
    return sorted(
        (p for p in points if p.when >= start),
        key=lambda p: (p.when, SAME_TIME_ORDER[p.source]),
    )


def _runs(points) -> list[tuple[int, int]]:
    """(first, past-the-end) indexes of the stretches between big drops."""
    starts = [0] + [
        i for i in range(1, len(points)) if points[i].grams < DROP * points[i - 1].grams
    ]
    return list(zip(starts, [*starts[1:], len(points)], strict=True))


def chart_of(culture, now=None) -> WeightChart:
    """``culture``'s weight over the last WINDOW: two queries."""
    now = now or timezone.now()
    start = now - WINDOW
    return weight_chart(
        culture.weighings.filter(weighed_at__gte=start).values_list("weighed_at", "grams"),
        culture.batches.filter(Q(started_at__gte=start) | Q(strained_at__gte=start))
        .order_by()
        .values_list("number", "pk", "started_at", "grains_in_g", "strained_at", "grains_out_g"),
        now=now,
    )


def weight_chart(weighings, batch_grams, now=None) -> WeightChart:
    """``weighings``: (weighed at, grams) pairs; ``batch_grams``: (number, pk, started,
    grams in, strained, grams out) rows of batches."""
    now = now or timezone.now()
    points = weight_points(weighings, batch_grams, now - WINDOW)
    chart = WeightChart(points)
    if not chart.is_drawable:
        return chart

    first, last = points[0].when, max(points[-1].when, now)
    span = max((last - first).total_seconds(), 1)
    top = max(p.grams for p in points) * 1.15
    step = nice_step(top)
    top = step * math.ceil(top / step)
    ticks = [step * i for i in range(round(top / step) + 1)]
    tick_texts = [f"{v:g} g" for v in ticks]
    chart.plot_left = max(LEFT, math.ceil(max(map(len, tick_texts)) * CHAR_WIDTH) + 4 + GAP)
    x_from, x_to = chart.plot_left + PAD, chart.plot_right - PAD

    def x(when):
        return round(x_from + (when - first).total_seconds() / span * (x_to - x_from), 1)

    def y(grams):
        grams = min(grams, top)
        return round(TOP + (1 - grams / top) * (chart.plot_bottom - TOP), 1)

    chart.dots = [Dot(x(p.when), y(p.grams), DOT_RADIUS[p.source], p) for p in points]
    chart.line = " ".join(f"{d.x},{d.y}" for d in chart.dots)
    for begin, end in _runs(points):
        base = points[begin]
        until = points[end].when if end < len(points) else last
        if until <= base.when:
            continue
        moments = [base.when + (until - base.when) * i / BAND_STEPS for i in range(BAND_STEPS + 1)]

        def grown(rate, when, base=base):
            return base.grams * rate ** ((when - base.when).total_seconds() / 604800)

        upper = [f"{x(m)},{y(grown(GROWTH_HIGH, m))}" for m in moments]
        lower = [f"{x(m)},{y(grown(GROWTH_LOW, m))}" for m in reversed(moments)]
        chart.bands.append(" ".join(upper + lower))

    chart.y_ticks = [
        (y(v), Label(chart.plot_left - 4, y(v) + 3.5, text, "end"))
        for v, text in zip(ticks, tick_texts, strict=True)
    ]
    chart.x_ticks = _x_ticks(chart, [(x(w), w) for w in (first, first + (last - first) / 2, last)])
    chart.values = _value_labels(chart)
    return chart


def _x_ticks(chart, places) -> list[Label]:
    """Dates under the plot: at its start, middle and end, each date once."""
    baseline = chart.height - 6
    labels, seen = [], set()
    for (x, when), anchor in zip(places, ("start", "middle", "end"), strict=True):
        text = dates.day_and_month(timezone.localtime(when))
        if text not in seen:
            seen.add(text)
            if anchor != "middle":
                x = chart.plot_left + PAD if anchor == "start" else chart.plot_right
            labels.append(Label(x, baseline, text, anchor))
    return without_overlaps(labels)


def _value_labels(chart) -> list[Label]:
    """The first and the latest weight written next to their points, where they cover
    no point, no stretch of the line, no axis label and no other value label."""
    area = Box(chart.plot_left, 0, chart.width, chart.plot_bottom)
    segments = list(zip(chart.dots, chart.dots[1:], strict=False))
    taken = [dot.box for dot in chart.dots]
    taken += [label.box for _, label in chart.y_ticks] + [label.box for label in chart.x_ticks]
    labels = []
    for dot, toward in ((chart.dots[0], "start"), (chart.dots[-1], "end")):
        reach = dot.r + DOT_STROKE + GAP
        text = dot.point.grams_text
        # Above, below, then beside the point, away from the chart's edge.
        side = reach + 1 if toward == "start" else -reach - 1
        candidates = [
            Label(dot.x, dot.y - reach - DESCENT - GAP, text, "middle"),
            Label(dot.x, dot.y + reach + ASCENT + GAP, text, "middle"),
            Label(
                dot.x - reach if toward == "end" else dot.x + reach, dot.y - reach - 2, text, toward
            ),
            Label(
                dot.x - reach if toward == "end" else dot.x + reach,
                dot.y + reach + ASCENT,
                text,
                toward,
            ),
            Label(dot.x + side, dot.y + ASCENT / 2 - 1, text, toward),
        ]
        for label in candidates:
            box = label.box
            if (
                box.inside(area)
                and not any(box.overlaps(other) for other in taken)
                and not any(crosses(box, a, b) for a, b in segments)
            ):
                labels.append(label)
                taken.append(box)
                break
    return labels

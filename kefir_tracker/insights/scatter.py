"""First-ferment hours against room temperature: one marker per strained batch, in
a colour and a shape of its base, and the ready-time model's curve per base with
its usual range (about 8 in 10 batches like it are strained within it).

A forgotten jar (70 h of a base that usually takes 20) would squash everything
else into the bottom of the chart: the hours axis stops a little above what
nearly all batches took, and the few longer ones sit on its top edge, counted
in a note under the chart. The table under it has every base and temperature.
"""

import math
import statistics
from dataclasses import dataclass, field

from kefir_tracker import svg
from kefir_tracker.batches.models import Base
from kefir_tracker.svg import Label, nice_step, without_overlaps

WIDTH, HEIGHT = 340, 230
RIGHT, TOP, BOTTOM = 8, 10, 22
FONT = 11  # px, as .insight-chart .chart-tick in app.css
MARK = 3.6  # half a marker's size
CURVE_STEPS = 16
# The hours axis ends this much above the hours nearly all batches (QUANTILE) took.
QUANTILE, HEADROOM = 0.95, 1.3
# Each base's marker: its shape as well as its colour tells it (not colour alone).
SHAPES = {
    Base.COW: "circle",
    Base.GOAT: "square",
    Base.SOY: "triangle",
    Base.COCONUT: "diamond",
    Base.WATER: "cross",
}
MIN_POINTS = 3


def marker_path(shape: str, x: float, y: float, r: float = MARK) -> str:
    """An SVG path of the marker ``shape`` centred on (x, y)."""
    if shape == "circle":
        return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0"
    if shape == "square":
        s = r * 0.9
        return f"M{x - s:.1f},{y - s:.1f}h{2 * s:.1f}v{2 * s:.1f}h{-2 * s:.1f}z"
    if shape == "triangle":
        return f"M{x:.1f},{y - r * 1.15:.1f}L{x + r:.1f},{y + r * 0.75:.1f}L{x - r:.1f},{y + r * 0.75:.1f}z"
    if shape == "diamond":
        s = r * 1.2
        return f"M{x:.1f},{y - s:.1f}L{x + s:.1f},{y:.1f}L{x:.1f},{y + s:.1f}L{x - s:.1f},{y:.1f}z"
    s = r * 0.9  # a cross
    return f"M{x - s:.1f},{y - s:.1f}L{x + s:.1f},{y + s:.1f}M{x - s:.1f},{y + s:.1f}L{x + s:.1f},{y - s:.1f}"


def legend_marker(base) -> str:
    """The base's marker for the legend's small 12 by 12 px picture."""
    return marker_path(SHAPES[base], 6, 6, 4)


@dataclass
class TableRow:
    room: str
    batches: int
    took: str  # the middle batch's hours
    took_range: str  # "(12-16)", shortest to longest; "" when they round the same
    expected: str
    expected_range: str


@dataclass
class Series:
    base: Base
    count: int
    shape: str
    marks: str = ""  # one path of every marker
    curve: str = ""
    band: str = ""  # drawn for the most-used base of each kind only (they would overlap)
    rows: list[TableRow] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.base.label

    @property
    def legend_marker(self) -> str:
        return legend_marker(self.base)


@dataclass
class FermentChart:
    series: list[Series] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: float = 30
    plot_right: float = WIDTH - RIGHT
    plot_top: float = TOP
    plot_bottom: float = HEIGHT - BOTTOM
    y_ticks: list[tuple[float, Label]] = field(default_factory=list)
    x_ticks: list[tuple[float, Label]] = field(default_factory=list)
    points: int = 0
    clipped: int = 0  # batches over the top of the hours axis
    top_hours: float = 0
    longest_hours: float = 0
    without_temperature: int = 0
    takeaway: str = ""
    unit: str = "C"

    @property
    def is_drawable(self) -> bool:
        return self.points >= MIN_POINTS

    @property
    def banded(self) -> list[Series]:
        return [series for series in self.series if series.band]

    @property
    def most_used_last(self) -> list[Series]:
        """The order to draw curves in: the best-known base's on top."""
        return sorted(self.series, key=lambda series: series.count)


def _in_unit(celsius: float, unit: str) -> float:
    return celsius * 9 / 5 + 32 if unit == "F" else celsius


def _to_celsius(value: float, unit: str) -> float:
    return (value - 32) * 5 / 9 if unit == "F" else value


NBSP = "\N{NO-BREAK SPACE}"  # "19 °C" never broken across lines


def _degrees(value: float, unit: str) -> str:
    """A temperature already in ``unit``, as a whole number: '22 °C'."""
    return f"{round(value)}{NBSP}°{unit}"


def _hours(value: float) -> str:
    return f"{round(value)}{NBSP}h"


def _top_hours(hours: list[float]) -> float:
    """Where the hours axis ends: above every batch, unless a few took far longer."""
    ordered = sorted(hours)
    nearly_all = ordered[min(len(ordered) - 1, math.floor(QUANTILE * len(ordered)))]
    limit = nearly_all * HEADROOM
    return ordered[-1] * 1.05 if ordered[-1] <= limit else limit


def ferment_chart(times, model, unit="C") -> FermentChart:
    """``times``: figures.FermentTimes; ``model``: the person's forecast.model.ReadyModel."""
    chart = FermentChart(
        points=len(times.points), without_temperature=times.without_temperature, unit=unit
    )
    if not chart.is_drawable:
        return chart
    points = times.points
    degrees = [_in_unit(p.celsius, unit) for p in points]
    low, high = math.floor(min(degrees)) - 1, math.ceil(max(degrees)) + 1
    if high - low < 6:
        middle = (high + low) / 2
        low, high = math.floor(middle - 3), math.ceil(middle + 3)

    top = _top_hours([p.hours for p in points])
    step = nice_step(top, 4)
    top = step * math.ceil(top / step)
    chart.top_hours = top
    chart.longest_hours = max(p.hours for p in points)
    y_values = [step * i for i in range(round(top / step) + 1)]
    y_texts = [_hours(v) for v in y_values]
    chart.plot_left = math.ceil(max(svg.text_width(t, FONT) for t in y_texts)) + 4 + svg.GAP

    def x(value):
        share = (value - low) / (high - low)
        return round(chart.plot_left + 4 + share * (chart.plot_right - chart.plot_left - 8), 1)

    def y(hours):  # a point above the top sits on it; curves are clipped there (clipPath)
        hours = max(0.0, min(hours, top * 1.5))
        return round(chart.plot_top + (1 - hours / top) * (chart.plot_bottom - chart.plot_top), 1)

    chart.y_ticks = [
        (y(v), Label(chart.plot_left - 4, y(v) + 4, text, "end", FONT))
        for v, text in zip(y_values, y_texts, strict=True)
    ]
    # Whole degrees a tick apart: 2 °C (5 °F), or 5 °C (10 °F) for a wide range.
    x_step = (5 if high - low <= 30 else 10) if unit == "F" else (2 if high - low <= 14 else 5)
    first_tick = math.ceil(low / x_step) * x_step
    x_values = [first_tick + x_step * i for i in range(int((high - first_tick) / x_step) + 1)]
    x_labels = [Label(x(v), chart.height - 6, _degrees(v, unit), "middle", FONT) for v in x_values]
    chart.x_ticks = [(label.x, label) for label in without_overlaps(x_labels)]
    chart.clipped = sum(1 for p in points if p.hours > top)

    by_base = {}
    for point, value in zip(points, degrees, strict=True):
        by_base.setdefault(point.base, []).append((value, point))
    banded = {
        max((b for b in by_base if Base(b).kind == kind), key=lambda b: len(by_base[b]))
        for kind in {Base(b).kind for b in by_base}
    }
    for base in [b for b in Base if b in by_base]:
        mine = by_base[base]
        series = Series(base=base, count=len(mine), shape=SHAPES[base])
        series.marks = "".join(
            marker_path(series.shape, x(v), y(min(p.hours, top))) for v, p in mine
        )
        bands = _bands(mine, unit)
        # Over the temperatures this base was made at, not guessed beyond them.
        start = max(low, min(v for v, _ in mine) - 0.5)
        end = min(high, max(v for v, _ in mine) + 0.5)
        curve_degrees = [start + (end - start) * i / CURVE_STEPS for i in range(CURVE_STEPS + 1)]
        wanted = curve_degrees + [middle for middle, *_ in bands]
        forecasts = [f for _, f in model.curve(base, [_to_celsius(v, unit) for v in wanted])]
        along, at_bands = forecasts[: len(curve_degrees)], forecasts[len(curve_degrees) :]
        series.curve = " ".join(
            f"{x(v)},{y(f.hours)}" for v, f in zip(curve_degrees, along, strict=True)
        )
        upper = [f"{x(v)},{y(f.high)}" for v, f in zip(curve_degrees, along, strict=True)]
        lower = [f"{x(v)},{y(f.low)}" for v, f in zip(curve_degrees, along, strict=True)]
        if base in banded:
            series.band = " ".join(upper + lower[::-1])
        series.rows = [
            TableRow(
                room=room,
                batches=len(took),
                took=_hours(statistics.median(took)),
                took_range=_range(took[0], took[-1]),
                expected=_hours(f.hours),
                expected_range=_range(f.low, f.high),
            )
            for (_, room, took), f in zip(bands, at_bands, strict=True)
        ]
        chart.series.append(series)
    chart.takeaway = _takeaway(chart, by_base, model, unit)
    return chart


def _bands(mine, unit):
    """(middle, 'from-to °C' as shown, [hours]) of each 2 °C (4 °F) band the batches fall in."""
    width = 4 if unit == "F" else 2
    bands = {}
    for value, point in mine:
        start = math.floor(value / width) * width
        bands.setdefault(start, []).append(point.hours)
    return [
        (start + width / 2, f"{start}–{start + width} °{unit}", sorted(hours))
        for start, hours in sorted(bands.items())
    ]


def _range(low: float, high: float) -> str:
    return "" if round(low) == round(high) else f"({round(low)}–{round(high)})"


def _takeaway(chart, by_base, model, unit) -> str:
    """In words, what warmth does to the most-used base: its hours on a cool and a warm
    day of the person's own kitchen (a tenth of its batches were cooler, a tenth warmer)."""
    base = max(by_base, key=lambda b: len(by_base[b]))
    degrees = sorted(value for value, _ in by_base[base])
    cool = degrees[math.floor(0.1 * (len(degrees) - 1))]
    warm = degrees[math.ceil(0.9 * (len(degrees) - 1))]
    name = Base(base).label.capitalize()
    near = 5 if unit == "F" else 3
    if warm - cool < near:
        middle = round(statistics.median(degrees))
        ((_, forecast),) = model.curve(base, [_to_celsius(middle, unit)])
        return (
            f"Your kitchen stays near {_degrees(middle, unit)}: "
            f"{name.lower()} takes about {_hours(forecast.hours)} there."
        )
    cool, warm = round(cool), round(warm)
    (_, at_warm), (_, at_cool) = model.curve(
        base, [_to_celsius(warm, unit), _to_celsius(cool, unit)]
    )
    said = (
        f"{name} takes about {_hours(at_warm.hours)} at {_degrees(warm, unit)}, "
        f"{_hours(at_cool.hours)} at {_degrees(cool, unit)}."
    )
    if at_warm.hours < at_cool.hours:
        return f"Warmer days ferment faster: {said[0].lower()}{said[1:]}"
    return said

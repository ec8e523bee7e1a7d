"""The Insights bar charts as SVG coordinates: ratings (horizontal bars, each name
on its own line above its bar, so that long names stay readable on a phone),
kefir made per month (milk and water side by side) and the grains' growth per
week (a small chart per culture, the healthy 10 to 20 % a week marked)."""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from kefir_tracker import dates, svg, units
from kefir_tracker.svg import Label, nice_step

WIDTH = 340
FONT = 11  # px, as .insight-chart .chart-tick in app.css
HEALTHY = (0.10, 0.20)  # growth per week, from the kefir guides


def _fit(text: str, room: float) -> str:
    """``text`` cut with an ellipsis to fit ``room`` px (the table has it whole)."""
    most = int(room // svg.char_width(FONT))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


# ---- ratings ----

ROW, NAME_TO_BAR, BAR = 36, 5, 13
VALUE_ROOM = 112  # right of the longest bar: "4.3 · 120 notes"


@dataclass
class RatingBar:
    rating: object  # figures.Rating
    name: Label
    y: float
    width: float
    value: Label
    css: str


@dataclass
class RatingChart:
    bars: list[RatingBar] = field(default_factory=list)
    grid: list[tuple[float, Label]] = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    left: float = 6  # room for the scale's "0" centred on it
    bar_height: int = BAR
    axis: float = 0  # the y of the 0 to 5 scale under the bars

    @property
    def is_drawable(self) -> bool:
        return bool(self.bars)


def notes_text(count: int) -> str:
    return f"{count} note{'' if count == 1 else 's'}"


def rating_chart(ratings, css=lambda rating: "") -> RatingChart:
    """``ratings``: figures.Rating, best first; ``css``: a bar's class from its rating."""
    chart = RatingChart()
    scale = (WIDTH - chart.left - VALUE_ROOM) / 5
    for index, rating in enumerate(ratings):
        top = index * ROW
        baseline = top + svg.ascent(FONT) + 1
        bar_top = baseline + NAME_TO_BAR
        width = round(rating.mean * scale, 1)
        value = f"{rating.mean:.1f} · {notes_text(rating.notes)}"
        chart.bars.append(
            RatingBar(
                rating=rating,
                name=Label(
                    chart.left, round(baseline, 1), _fit(rating.name, WIDTH - 4), "start", FONT
                ),
                y=round(bar_top, 1),
                width=width,
                value=Label(
                    round(chart.left + width + 5, 1),
                    round(bar_top + BAR - 2.5, 1),
                    value,
                    "start",
                    FONT,
                ),
                css=css(rating),
            )
        )
    chart.axis = len(ratings) * ROW + 2
    chart.height = chart.axis + 16
    chart.grid = [
        (
            round(chart.left + n * scale, 1),
            Label(round(chart.left + n * scale, 1), chart.axis + 14, str(n), "middle", FONT),
        )
        for n in range(0, 6)
    ]
    return chart


# ---- kefir made per month ----

MONTH_HEIGHT = 200
MONTH_TOP, MONTH_BOTTOM, MONTH_RIGHT = 10, 30, 4


@dataclass
class MonthBar:
    month: object  # figures.Month
    label: Label
    year: Label | None
    milk: tuple[float, float, float, float] | None  # x, y, width, height
    water: tuple[float, float, float, float] | None


@dataclass
class VolumeChart:
    bars: list[MonthBar] = field(default_factory=list)
    y_ticks: list[tuple[float, Label]] = field(default_factory=list)
    width: int = WIDTH
    height: int = MONTH_HEIGHT
    plot_left: float = 30
    plot_right: float = WIDTH - MONTH_RIGHT
    plot_bottom: float = MONTH_HEIGHT - MONTH_BOTTOM
    has_milk: bool = False
    has_water: bool = False
    takeaway: str = ""

    @property
    def is_drawable(self) -> bool:
        return self.has_milk or self.has_water


def _amount(ml: Decimal, unit: str) -> float:
    """``ml`` in litres, or in cups."""
    return float(units.ml_to_cups(ml)) if unit == "cup" else float(ml) / 1000


def _amount_text(value: float, unit: str) -> str:
    if unit == "cup":
        return f"{value:g} cup{'' if value == 1 else 's'}"
    return f"{value:g} L"


def volume_chart(months, unit="ml") -> VolumeChart:
    """``months``: figures.Month, oldest first; ``unit``: the person's volume unit."""
    chart = VolumeChart()
    chart.has_milk = any(m.milk_ml for m in months)
    chart.has_water = any(m.water_ml for m in months)
    if not chart.is_drawable:
        return chart
    most = max(max(_amount(m.milk_ml, unit), _amount(m.water_ml, unit)) for m in months)
    step = nice_step(most * 1.05, 4)
    top = step * math.ceil(most * 1.05 / step)
    values = [step * i for i in range(round(top / step) + 1)]
    texts = [_amount_text(round(v, 6), unit) for v in values]
    chart.plot_left = math.ceil(max(svg.text_width(t, FONT) for t in texts)) + 4 + svg.GAP

    def y(value):
        return round(MONTH_TOP + (1 - value / top) * (chart.plot_bottom - MONTH_TOP), 1)

    chart.y_ticks = [
        (y(v), Label(chart.plot_left - 4, y(v) + 4, t, "end", FONT))
        for v, t in zip(values, texts, strict=True)
    ]
    slot = (chart.plot_right - chart.plot_left) / len(months)
    both = chart.has_milk and chart.has_water
    bar = slot * (0.36 if both else 0.6)

    def box(left, amount):
        if not amount:
            return None
        top_y = y(amount)
        return (round(left, 1), top_y, round(bar, 1), round(chart.plot_bottom - top_y, 1))

    for index, month in enumerate(months):
        left = chart.plot_left + index * slot
        middle = round(left + slot / 2, 1)
        first = left + (slot - (2 * bar + 1 if both else bar)) / 2
        milk = box(first, _amount(month.milk_ml, unit)) if chart.has_milk else None
        water_left = first + bar + 1 if both else first
        water = box(water_left, _amount(month.water_ml, unit)) if chart.has_water else None
        name = dates.MONTHS[month.first.month - 1]
        year = None
        if index == 0 or month.first.month == 1:
            year = Label(middle, chart.height - 4, str(month.first.year), "middle", FONT)
        chart.bars.append(
            MonthBar(
                month,
                Label(middle, chart.plot_bottom + 15, name, "middle", FONT),
                year,
                milk,
                water,
            )
        )
    chart.takeaway = _volume_takeaway(months, unit)
    return chart


def _rounded_volume(ml: Decimal, unit: str) -> str:
    """A total as people say it: '160 L', '7.5 L', '640 cups'."""
    if unit == "cup":
        cups = units.ml_to_cups(ml)
        return units.show_volume(ml, unit) if cups < 10 else f"{round(cups)} cups"
    if ml < 1000:
        return units.show_volume(ml, unit)
    litres = units.round_to(ml / 1000, 1 if ml < 10_000 else 0)
    return f"{units.trim(litres)}\N{NO-BREAK SPACE}L"


def _volume_takeaway(months, unit) -> str:
    total = sum((m.total_ml for m in months), Decimal(0))
    best = max(months, key=lambda m: (m.total_ml, m.first))
    name = dates.LONG_MONTHS[best.first.month - 1]
    return (
        f"You made {_rounded_volume(total, unit)} of kefir in the last 12 months, "
        f"the most in {name} ({_rounded_volume(best.total_ml, unit)})."
    )


# ---- grains growth per week ----

GROWTH_HEIGHT = 120
GROWTH_TOP, GROWTH_BOTTOM, GROWTH_RIGHT = 8, 18, 4


@dataclass
class WeekBar:
    week: object  # figures.Week
    x: float
    y: float
    width: float
    height: float
    shrinking: bool


@dataclass
class GrowthPanel:
    growth: object  # figures.Growth
    bars: list[WeekBar] = field(default_factory=list)
    y_ticks: list[tuple[float, Label]] = field(default_factory=list)
    x_labels: list[Label] = field(default_factory=list)
    band: tuple[float, float] = (0, 0)  # y of 20 % and of 10 %
    zero: float = 0
    width: int = WIDTH
    height: int = GROWTH_HEIGHT
    plot_left: float = 30
    plot_right: float = WIDTH - GROWTH_RIGHT

    @property
    def name(self) -> str:
        return self.growth.culture.name


def percent(fraction: float) -> str:
    return f"{round(fraction * 100)}\N{NO-BREAK SPACE}%"


def growth_panel(growth) -> GrowthPanel:
    panel = GrowthPanel(growth)
    measured = [w.growth for w in growth.measured]
    low = min([0.0, *measured])
    high = max([HEALTHY[1] + 0.05, *measured])
    step = nice_step(high - low, 3)
    low, high = step * math.floor(low / step), step * math.ceil(high / step)
    values = [low + step * i for i in range(round((high - low) / step) + 1)]
    texts = [percent(v) for v in values]
    panel.plot_left = math.ceil(max(svg.text_width(t, FONT) for t in texts)) + 4 + svg.GAP
    bottom = GROWTH_HEIGHT - GROWTH_BOTTOM

    def y(value):
        return round(GROWTH_TOP + (high - value) / (high - low) * (bottom - GROWTH_TOP), 1)

    panel.y_ticks = [
        (y(v), Label(panel.plot_left - 4, y(v) + 4, t, "end", FONT))
        for v, t in zip(values, texts, strict=True)
    ]
    panel.band = (y(HEALTHY[1]), y(HEALTHY[0]))
    panel.zero = y(0)
    slot = (panel.plot_right - panel.plot_left) / len(growth.weeks)
    for index, week in enumerate(growth.weeks):
        middle = round(panel.plot_left + (index + 0.5) * slot, 1)
        if week.growth is not None:
            top, end = sorted((y(week.growth), panel.zero))
            panel.bars.append(
                WeekBar(
                    week,
                    round(middle - slot * 0.3, 1),
                    top,
                    round(slot * 0.6, 1),
                    max(round(end - top, 1), 1),
                    week.growth < 0,
                )
            )
        if (len(growth.weeks) - 1 - index) % 2 == 0:  # every other week, the last one labelled
            panel.x_labels.append(
                Label(middle, GROWTH_HEIGHT - 5, dates.day_and_month(week.monday), "middle", FONT)
            )
    return panel


def verdict(fraction: float) -> str:
    low, high = HEALTHY
    if fraction < low:
        return "slow"
    if fraction > high:
        return "fast"
    return "healthy"


def growth_takeaway(growths, weeks: int) -> str:
    said = [
        f"{g.culture.name} about {percent(g.overall)} a week ({verdict(g.overall)})"
        for g in growths
        if g.overall is not None
    ]
    if not said:
        return ""
    return f"Over the last {weeks} weeks: {'; '.join(said)}. Guides say 10–20 % a week is healthy."

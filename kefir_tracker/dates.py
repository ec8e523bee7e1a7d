"""Dates and times as the reader writes them, and wall times around clock changes.

How a person writes a time (12- or 24-hour clock) and a date (day or month
first) is activated per request, like the time zone (see
accounts.middleware); everything that shows a date or a time, pages and
messages alike, formats it here.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from asgiref.local import Local
from django.utils import timezone

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LONG_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LONG_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_active = Local()


@dataclass(frozen=True)
class Style:
    twelve_hour: bool = False
    month_first: bool = False


DEFAULT_STYLE = Style()


def activate(*, twelve_hour: bool, month_first: bool):
    _active.style = Style(twelve_hour=twelve_hour, month_first=month_first)


def deactivate():
    if hasattr(_active, "style"):
        del _active.style


def style() -> Style:
    return getattr(_active, "style", DEFAULT_STYLE)


def time_of_day(value: datetime) -> str:
    """'07:30', or '7:30 AM' on a 12-hour clock (``value`` already local)."""
    if not style().twelve_hour:
        return f"{value:%H:%M}"
    hour = value.hour % 12 or 12
    return f"{hour}:{value:%M}\N{NO-BREAK SPACE}{'AM' if value.hour < 12 else 'PM'}"


def day_and_month(value: date) -> str:
    """'3 Mar', or 'Mar 3' with the month first."""
    month = MONTHS[value.month - 1]
    return f"{month} {value.day}" if style().month_first else f"{value.day} {month}"


def full_date(value: date) -> str:
    """'3 Mar 2026', or 'Mar 3, 2026'."""
    if style().month_first:
        return f"{day_and_month(value)}, {value.year}"
    return f"{day_and_month(value)} {value.year}"


def weekday_date(value: date, *, year: bool = False) -> str:
    """'Tue 3 Mar' ('Tue Mar 3'), with the year if asked."""
    text = f"{WEEKDAYS[value.weekday()]} {day_and_month(value)}"
    if year:
        text += f", {value.year}" if style().month_first else f" {value.year}"
    return text


def long_date(value: date) -> str:
    """'Thursday 26 November', or 'Thursday, November 26'."""
    weekday, month = LONG_WEEKDAYS[value.weekday()], LONG_MONTHS[value.month - 1]
    if style().month_first:
        return f"{weekday}, {month} {value.day}"
    return f"{weekday} {value.day} {month}"


def local_moment(value: datetime) -> str:
    """'Tue 3 Mar, 07:30' in the active time zone, with the year when not this year."""
    local = timezone.localtime(value)
    this_year = datetime.now(local.tzinfo).year
    return f"{weekday_date(local, year=local.year != this_year)}, {time_of_day(local)}"


# ---- wall times around clock changes ----


class SkippedTime(ValueError):
    """A wall time that did not happen: the clocks jumped over it."""

    def __init__(self, wall: datetime, gap_start: datetime, gap_end: datetime):
        self.wall, self.gap_start, self.gap_end = wall, gap_start, gap_end
        super().__init__(self.message())

    def message(self) -> str:
        start, end = time_of_day(self.gap_start), time_of_day(self.gap_end)
        on = weekday_date(self.gap_start, year=True)
        meant = time_of_day(self.wall + (self.gap_end - self.gap_start))
        return (
            f"{start}–{end} did not happen on {on} (the clocks went forward). "
            f"Type {meant} if a clock not yet put forward said {time_of_day(self.wall)}, "
            f"or a time before {start}."
        )


def _offsets(wall: datetime, zone):
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    return first, second


def _exists(aware: datetime) -> bool:
    back = aware.astimezone(UTC).astimezone(aware.tzinfo)
    return back.replace(tzinfo=None) == aware.replace(tzinfo=None, fold=0)


def resolve(wall: datetime, zone) -> tuple[datetime, bool]:
    """The instant a person means by naive ``wall`` in ``zone``: (aware, was_ambiguous).

    A time repeated when the clocks go back is its first occurrence; one the clocks
    skipped raises SkippedTime naming the skipped stretch.
    """
    first, second = _offsets(wall, zone)
    if first.utcoffset() == second.utcoffset():
        return first, False
    if _exists(first) and _exists(second):
        return first, True
    # In a gap, fold=0 carries the offset from before the jump and fold=1 the one after.
    before, after = first.utcoffset(), second.utcoffset()
    low = wall - before - timedelta(days=1)
    high = wall - before  # UTC instants; the jump lies between
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if middle.replace(tzinfo=UTC).astimezone(zone).utcoffset() == after:
            high = middle
        else:
            low = middle
    jump = high.replace(second=0, microsecond=0)
    raise SkippedTime(wall, jump + before, jump + after)


def is_repeated(wall: datetime, zone) -> bool:
    first, second = _offsets(wall, zone)
    return first.utcoffset() != second.utcoffset() and _exists(first) and _exists(second)


def repeated_note(label: str, wall: datetime, zone) -> str:
    """'Started at: 02:30 happened twice on Sun 25 Oct 2026; took the first (summer time, CEST).'"""
    first = wall.replace(tzinfo=zone, fold=0)
    which = f"summer time, {first.tzname()}" if first.dst() else first.tzname()
    return (
        f"{label}: {time_of_day(wall)} happened twice on {weekday_date(wall, year=True)} "
        f"(the clocks went back); took the first ({which})."
    )

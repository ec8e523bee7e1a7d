"""The kefir cycle after the first ferment, by the guides in DESIGN.md.

A strained batch may be bottled for a second ferment: milk kefir for 4-12 h,
water kefir for 1-3 days, its bottles burped about twice a day so they do not
burst. These times are the guides', not learned: people bottle too variously
(fruit, ginger, how full, how warm) for a handful of batches to say more.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from kefir_tracker.batches.models import Base
from kefir_tracker.grains.models import Kind

SECOND_FERMENT_HOURS = {Kind.MILK: (4, 12), Kind.WATER: (24, 72)}
BURP_EVERY = timedelta(hours=12)


@dataclass(frozen=True)
class Window:
    """From when to when something is due: ``start`` the earliest, ``end`` the latest."""

    start: datetime
    end: datetime

    def is_open(self, now: datetime) -> bool:
        return self.start <= now

    def is_overdue(self, now: datetime) -> bool:
        return now > self.end


def second_ferment_window(batch) -> Window | None:
    """When a bottled batch's second ferment is done, by the guides; None if not bottled
    or already finished (or discarded)."""
    if batch.bottled_at is None or batch.finished_at is not None or batch.discarded:
        return None
    low, high = SECOND_FERMENT_HOURS[Base(batch.base).kind]
    return Window(batch.bottled_at + timedelta(hours=low), batch.bottled_at + timedelta(hours=high))


def next_burp(batch, now: datetime) -> datetime | None:
    """Water kefir bottles in a second ferment are burped every BURP_EVERY from bottling;
    the next time at or after ``now``. None for milk kefir or a batch not in a second ferment."""
    if second_ferment_window(batch) is None or Base(batch.base).kind != Kind.WATER:
        return None
    since = max(now - batch.bottled_at, timedelta(0))
    burps = since // BURP_EVERY + 1
    return batch.bottled_at + burps * BURP_EVERY

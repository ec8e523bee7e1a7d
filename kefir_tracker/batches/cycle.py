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
# Nobody logs a burp, so a burp's time is shown as due for this long after it
# comes; then the next one is what matters.
BURP_DUE_FOR = timedelta(hours=2)
# Today asks "How does it taste?" of batches strained this recently: the kefir is
# drunk within a day or two, and a tasting note is worth most while the taste is
# fresh. Older untasted batches would pile up into a nagging list; History still
# finds them (status "strained").
TASTE_WITHIN = timedelta(days=2)


@dataclass(frozen=True)
class Window:
    """From when to when something is due: ``start`` the earliest, ``end`` the latest."""

    start: datetime
    end: datetime


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


def burps_ahead(batch, now: datetime, most: int = 3) -> list[datetime]:
    """The burps a page shown at ``now`` names, in order: the latest one if it came less
    than BURP_DUE_FOR ago (it is due now), then the next ones before the second ferment's
    window ends, ``most`` in all. Empty for milk kefir or a batch not in a second ferment."""
    window = second_ferment_window(batch)
    burp = next_burp(batch, now - BURP_DUE_FOR)
    burps = []
    while burp is not None and burp < window.end and len(burps) < most:
        burps.append(burp)
        burp += BURP_EVERY
    return burps

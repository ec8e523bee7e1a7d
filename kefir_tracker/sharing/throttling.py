"""A fixed-window count of shared pages per address: a link's token cannot be guessed
(256 bits), but a page that anyone may ask for must not let one address ask without end.
The counter is kept in the database (sharing.models.VisitWindow), like sign-in
throttling, so that every worker of the server sees it; it is a count, nobody's data."""

from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from kefir_tracker.sharing.models import VisitWindow

VISITS = 60  # a family looking round a tree, many times over
WINDOW = timedelta(minutes=10)


def window_start(now) -> datetime:
    seconds = WINDOW.total_seconds()
    return datetime.fromtimestamp(now.timestamp() // seconds * seconds, UTC)


def seconds_left(now) -> int:
    """Until the window of ``now`` ends: the Retry-After of a refused visit."""
    return max(1, round((window_start(now) + WINDOW - now).total_seconds()))


def _count(address, start) -> bool:
    """One more visit in an existing window, unless it is full; whether it counted."""
    in_window = VisitWindow.objects.filter(address=address, window_start=start)
    return bool(in_window.filter(visits__lt=VISITS).update(visits=F("visits") + 1))


def allow_visit(address: str, now=None) -> bool:
    """Count a visit from ``address``; False once it made VISITS in this window.
    One query a visit, and a few more for the first one of a window."""
    now = now or timezone.now()
    start = window_start(now)
    if _count(address, start):
        return True
    try:
        with transaction.atomic():
            VisitWindow.objects.create(address=address, window_start=start, visits=1)
    except IntegrityError:  # the window is there, full, or another visit just made it
        return _count(address, start)
    VisitWindow.objects.filter(window_start__lt=start).delete()  # windows that are over
    return True

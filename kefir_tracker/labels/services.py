"""Which jars get labels, what each label says, and how the labels fill the sheets."""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from itertools import islice

import segno
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from kefir_tracker import dates
from kefir_tracker.batches.cycle import second_ferment_window
from kefir_tracker.batches.models import Batch
from kefir_tracker.batches.services import estimate
from kefir_tracker.forecast.model import model_for
from kefir_tracker.labels.sheets import Sheet


def jars(user):
    """The person's jars in use, oldest first: batches fermenting, and bottles in a
    second ferment. Labels are printed for these."""
    in_use = Q(strained_at__isnull=True) | Q(bottled_at__isnull=False, finished_at__isnull=True)
    return (
        Batch.objects.for_user(user)
        .filter(in_use, discarded=False)
        .select_related("culture")
        .order_by("started_at", "pk")
    )


def qr_svg(text: str) -> SafeString:
    """``text`` as a QR code in inline SVG: one path of dark modules drawn by SVG
    presentation attributes (no style attribute, so the strict CSP holds). Error
    correction M (15 %) or better: a jar's label gets splashed."""
    code = segno.make(text, error="m", micro=False)
    # segno writes only numbers and its own attribute names; ``text`` is in the modules.
    return mark_safe(
        code.svg_inline(border=2, omitsize=True, svgclass="qr", lineclass=None, dark="#000")
    )


def ready_between(start: datetime, end: datetime) -> tuple[str, ...]:
    """A second ferment's window as a label's lines: 'Ready Tue 3 Mar, 12:00-20:00' on
    one day, else 'Ready Tue 3 Mar, 17:00' and 'to Wed 4 Mar, 01:00' (one line would
    wrap on a small label)."""
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    if local_start.date() == local_end.date():
        return (f"Ready {dates.local_moment(start)}–{dates.time_of_day(local_end)}",)
    return (f"Ready {dates.local_moment(start)}", f"to {dates.local_moment(end)}")


@dataclass(frozen=True)
class JarLabel:
    """What one jar's label says, and where its QR code leads."""

    batch: Batch
    address: str  # the absolute /j/<code> this installation answers at
    since: str  # "Started Tue 3 Mar, 07:30", or "Bottled …" for a second ferment
    ready: tuple[str, ...]  # "Ready ≈ …", or the second ferment's window

    @property
    def what(self) -> str:
        """'#48 · cow milk'"""
        return f"#{self.batch.number} · {self.batch.get_base_display()}"

    @cached_property  # drawn once for all its copies
    def qr(self) -> SafeString:
        return qr_svg(self.address)


def jar_labels(user, batches, addresses: dict[int, str]) -> list[JarLabel]:
    """A label for each of ``batches`` (fermenting or bottled), in their order."""
    model = model_for(user) if any(b.strained_at is None for b in batches) else None
    labels = []
    for batch in batches:
        if batch.strained_at is None:
            ready = (f"Ready ≈ {dates.local_moment(estimate(batch, model).ready_at)}",)
            since = f"Started {dates.local_moment(batch.started_at)}"
        else:
            window = second_ferment_window(batch)
            ready = ready_between(window.start, window.end)
            since = f"Bottled {dates.local_moment(batch.bottled_at)}"
        labels.append(JarLabel(batch, addresses[batch.pk], since, ready))
    return labels


def sheets_of(labels: list[JarLabel], sheet: Sheet, skip: int, copies: int):
    """The printed sheets: each a list of ``sheet.per_sheet`` cells or fewer, a cell a
    JarLabel or None (a label left blank). The first ``skip`` cells of the first sheet
    are the used ones; each jar's copies follow one another."""
    cells = [None] * skip + [label for label in labels for _ in range(copies)]
    it = iter(cells)
    return list(iter(lambda: list(islice(it, sheet.per_sheet)), []))

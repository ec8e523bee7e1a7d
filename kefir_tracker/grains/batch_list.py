"""A culture's batches, newest first, a page at a time (keyset: no OFFSET, stable while logging)."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django import forms
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from kefir_tracker.batches.models import Batch

PAGE_SIZE = 20
SEPARATOR = "_"


@dataclass
class BatchPage:
    batches: list
    next_cursor: str


def cursor_of(batch) -> str:
    return f"{batch.started_at.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%f}{SEPARATOR}{batch.pk}"


class BatchCursorForm(forms.Form):
    """``?before=<started, UTC ISO>_<id>``: the last batch of the page already shown."""

    before = forms.CharField(required=False, max_length=40)

    def clean_before(self):
        value = self.cleaned_data["before"]
        if not value:
            return None
        stamp, _, pk = value.partition(SEPARATOR)
        try:
            return datetime.fromisoformat(stamp).replace(tzinfo=UTC), int(pk)
        except ValueError:
            raise forms.ValidationError("Not a page of batches.") from None


def culture_batches(user, culture, before=None) -> BatchPage:
    """One page of ``culture``'s batches with their stable number ("batch 57")."""
    earlier = (
        Batch.objects.filter(culture=OuterRef("culture"))
        .filter(
            Q(started_at__lt=OuterRef("started_at"))
            | Q(started_at=OuterRef("started_at"), pk__lte=OuterRef("pk"))
        )
        .order_by()
        .values("culture")
        .annotate(n=Count("pk"))
        .values("n")
    )
    batches = (
        Batch.objects.for_user(user)
        .filter(culture=culture)
        .annotate(number=Coalesce(Subquery(earlier), 1))
        .order_by("-started_at", "-id")
    )
    if before is not None:
        started_at, pk = before
        batches = batches.filter(Q(started_at__lt=started_at) | Q(started_at=started_at, pk__lt=pk))
    rows = list(batches[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return BatchPage(rows, cursor_of(rows[-1]) if more else "")

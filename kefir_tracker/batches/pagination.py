"""Keyset ("seek") pagination of batches, newest first, on (started_at, id).

Unlike OFFSET, a page costs the same however far back it is, and rows do not
shift or repeat when a batch is started while someone scrolls.

    page = keyset_page(Batch.objects.for_user(user).for_list(), request.GET.get("cursor"))
    page.items        # up to ``size`` batches
    page.next_cursor  # a string for ?cursor=… to get the next (older) page, or None
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


class InvalidCursor(ValueError):
    """A cursor that this module did not make (edited or truncated by hand)."""


@dataclass(frozen=True)
class Cursor:
    """The last row seen: the next page starts strictly after (older than) it."""

    started_at: datetime
    pk: int

    def __str__(self):
        return f"{(self.started_at - EPOCH) // MICROSECOND}-{self.pk}"

    @classmethod
    def parse(cls, token: str) -> "Cursor":
        micros, sep, pk = token.partition("-")
        digits = micros.isascii() and micros.isdigit() and pk.isascii() and pk.isdigit()
        if not sep or not digits or len(token) > 40:
            raise InvalidCursor(f"Not a page cursor: {token!r}")
        try:
            started_at = EPOCH + int(micros) * MICROSECOND
        except OverflowError as error:
            raise InvalidCursor(f"Not a page cursor: {token!r}") from error
        return cls(started_at=started_at, pk=int(pk))


@dataclass(frozen=True)
class KeysetPage:
    items: list
    next_cursor: str | None


def keyset_page(queryset: QuerySet, cursor: "str | Cursor | None", size: int | None = None):
    """One page of ``queryset`` (any Batch queryset), newest first, after ``cursor``.

    ``cursor`` is None for the first page, or the ``next_cursor`` of the page
    before. Raises InvalidCursor for a string that is not a cursor. One query.
    """
    size = size or settings.PAGE_SIZE
    if isinstance(cursor, str):
        cursor = Cursor.parse(cursor)
    if cursor is not None:
        # "Older than the cursor" as a range on started_at (the index seeks to it)
        # minus the ties at the cursor's own time; written as an OR of the two,
        # SQLite and PostgreSQL both walked the index from the newest batch.
        queryset = queryset.filter(
            Q(started_at__lte=cursor.started_at)
            & ~Q(started_at=cursor.started_at, pk__gte=cursor.pk)
        )
    rows = list(queryset.order_by("-started_at", "-pk")[: size + 1])
    items, more = rows[:size], len(rows) > size
    last = items[-1] if items else None
    return KeysetPage(
        items=items, next_cursor=str(Cursor(last.started_at, last.pk)) if more else None
    )

"""Keyset ("seek") pagination of batches, newest first, on (started_at, id).

Unlike OFFSET, a page costs the same however far back it is, and rows do not
shift or repeat when a batch is started while someone scrolls.

    page = keyset_page(Batch.objects.for_user(user).for_list(), request.GET.get("cursor"))
    page.items        # up to ``size`` batches
    page.next_cursor  # a string for ?cursor=… to get the next (older) page, or None

    # Back at an address that says how far the list was scrolled: every row from
    # the newest through that one, so the page comes back as it was left.
    page = keyset_through(Batch.objects.for_user(user).for_list(), cursor)
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

    @property
    def last_cursor(self) -> str | None:
        """The cursor of the last row shown (for ``keyset_through``); None when empty."""
        return _cursor_of(self.items[-1]) if self.items else None


def keyset_page(queryset: QuerySet, cursor: "str | Cursor | None", size: int | None = None):
    """One page of ``queryset`` (any Batch queryset), newest first, after ``cursor``.

    ``cursor`` is None for the first page, or the ``next_cursor`` of the page
    before. Raises InvalidCursor for a string that is not a cursor. One query.
    """
    size = size or settings.PAGE_SIZE
    if isinstance(cursor, str):
        cursor = Cursor.parse(cursor)
    if cursor is not None:
        queryset = queryset.filter(_older_than(cursor))
    rows = list(queryset.order_by("-started_at", "-pk")[: size + 1])
    items, more = rows[:size], len(rows) > size
    return KeysetPage(items=items, next_cursor=_cursor_of(items[-1]) if more else None)


def keyset_through(queryset: QuerySet, cursor: "str | Cursor"):
    """Every row of ``queryset`` from the newest through ``cursor`` (the last row a
    list showed), and a ``next_cursor`` when there are older rows. Two queries.

    ``cursor`` is a string from ``str(Cursor)`` or a Cursor; InvalidCursor as above.
    """
    if isinstance(cursor, str):
        cursor = Cursor.parse(cursor)
    newer = Q(started_at__gte=cursor.started_at) & ~Q(
        started_at=cursor.started_at, pk__lt=cursor.pk
    )
    items = list(queryset.filter(newer).order_by("-started_at", "-pk"))
    if not items:  # everything down to there was deleted meanwhile
        return keyset_page(queryset, None)
    more = queryset.filter(_older_than(cursor)).exists()
    return KeysetPage(items=items, next_cursor=_cursor_of(items[-1]) if more else None)


def _older_than(cursor: Cursor) -> Q:
    # "Older than the cursor" as a range on started_at (the index seeks to it)
    # minus the ties at the cursor's own time; written as an OR of the two,
    # SQLite and PostgreSQL both walked the index from the newest batch.
    return Q(started_at__lte=cursor.started_at) & ~Q(
        started_at=cursor.started_at, pk__gte=cursor.pk
    )


def _cursor_of(batch) -> str:
    return str(Cursor(batch.started_at, batch.pk))

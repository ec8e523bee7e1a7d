from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kefir_tracker.batches.models import Batch
from kefir_tracker.batches.pagination import Cursor, InvalidCursor, keyset_page
from tests.factories import make_batch


@settings(deadline=None)  # the CPU is shared with other test runs
@given(
    st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1)),
    st.integers(min_value=1, max_value=2**62),
)
def test_a_cursor_survives_the_query_string_to_the_microsecond(moment, pk):
    cursor = Cursor(moment.replace(tzinfo=UTC), pk)
    assert Cursor.parse(str(cursor)) == cursor


@pytest.mark.parametrize("token", ["", "abc", "1-", "-1", "1.5-2", "1-2-3", "9" * 30 + "-1"])
def test_a_cursor_that_was_not_made_here_is_refused(token):
    with pytest.raises(InvalidCursor):
        Cursor.parse(token)


def test_pages_walk_any_batch_queryset_without_gaps_or_repeats(culture, water):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(7):
        make_batch(culture, started_at=start + timedelta(hours=n // 2))  # pairs share a time
        make_batch(water, started_at=start + timedelta(hours=n))
    queryset = culture.batches.for_list()
    seen, cursor = [], None
    while True:
        page = keyset_page(queryset, cursor, size=3)
        seen += page.items
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    expected = list(Batch.objects.filter(culture=culture).order_by("-started_at", "-pk"))
    assert seen == expected
    assert [batch.number for batch in seen] == list(range(7, 0, -1))


def test_a_page_is_one_query(culture, django_assert_num_queries):
    for _ in range(5):
        make_batch(culture)
    with django_assert_num_queries(1):
        page = keyset_page(Batch.objects.for_list(), None, size=2)
        assert [b.best_rating for b in page.items] == [None, None]
        assert [b.culture.name for b in page.items] == ["Babushka"] * 2


def test_the_page_size_defaults_to_the_setting(culture, settings):
    settings.PAGE_SIZE = 2
    for _ in range(3):
        make_batch(culture)
    page = keyset_page(Batch.objects.all(), None)
    assert len(page.items) == 2
    assert page.next_cursor

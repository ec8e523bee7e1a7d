"""Today and History cost the same number of queries whether there are 5 batches or 500."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch, TastingNote, number_in_start_order
from tests.factories import make_culture

PAGES = [
    reverse("batches:today"),
    reverse("batches:history"),
    reverse("batches:history") + "?q=tangy&min_rating=2&status=done&base=cow",
]
_names = count(1)


def add_batches(owner, how_many):
    """Batches over three new cultures: most strained and tasted, the newest of each
    culture fermenting (one jar per colony)."""
    cultures = [make_culture(owner, f"Grains {next(_names)}") for _ in range(3)]
    now = timezone.now()
    batches = [
        Batch(
            owner=owner,
            culture=cultures[n % 3],
            base="cow",
            volume_ml=Decimal(500),
            grains_in_g=Decimal(25),
            started_at=now - timedelta(hours=n * 7 + 1),
            strained_at=None if n < 3 else now - timedelta(hours=n * 7),
        )
        for n in range(how_many)
    ]
    number_in_start_order(batches)
    Batch.objects.bulk_create(batches)
    TastingNote.objects.bulk_create(
        TastingNote(batch=batch, rating=1 + n % 5, tasted_at=batch.started_at, notes="tangy")
        for n, batch in enumerate(batches)
        if batch.strained_at
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", PAGES)
def test_the_number_of_queries_is_the_same_with_5_and_500_batches(owner_client, owner, url):
    add_batches(owner, 5)
    with_five = count_queries(owner_client, url)
    add_batches(owner, 495)
    assert count_queries(owner_client, url) == with_five


@pytest.mark.parametrize("url", PAGES)
def test_with_500_batches_a_page_stays_within_a_few_queries(
    owner_client, owner, url, django_assert_max_num_queries
):
    add_batches(owner, 500)
    # session, user, then Today: fermenting, waiting for a tasting, in bottles, usual
    # times, cultures, last batches; History: its rows, the search's count, the grains
    # offered as a filter twice
    budget = 8 if url == reverse("batches:today") else 6
    with django_assert_max_num_queries(budget):
        owner_client.get(url)

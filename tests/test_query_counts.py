"""Every page costs the same number of queries with 5 rows as with 500.

Each page is asked for once with a small account (5 batches, 5 grains in the
family, 5 weighings, 5 tasting notes on the batch shown) and once after the
account grew to 500 of each: the count must not change. A page that queried
per row, or walked a lineage one generation at a time, would fail here.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch, TastingNote, number_in_start_order
from kefir_tracker.batches.pagination import Cursor
from kefir_tracker.grains.models import Culture, Weighing
from kefir_tracker.kitchens import services
from tests.factories import make_batch, make_culture, make_user

HTMX = {"HTTP_HX_REQUEST": "true"}


@dataclass
class Account:
    """The grains and batches the pages below are about, and what grows around them."""

    owner: object
    culture: Culture  # the top of a line of splits, with batches and weighings
    deepest: Culture  # the bottom of that line
    batch: Batch  # a strained batch of ``culture`` with tasting notes
    size: int = 0

    def grow(self, to):
        """Add batches, tastings, weighings and generations of splits up to ``to`` of each."""
        new = to - self.size
        now = timezone.now()
        splits = []
        for n in range(new):
            self.deepest = make_culture(
                self.owner, f"Split {self.size + n}", parent=self.deepest, origin="split"
            )
            splits.append(self.deepest)
        # Every tenth batch is fermenting, each in a split of its own (one jar per colony).
        batches = [
            Batch(
                owner=self.owner,
                culture=splits[n] if n % 10 == 0 else self.culture,
                base="cow" if n % 3 else "soy",
                volume_ml=Decimal(500),
                grains_in_g=Decimal(25),
                notes="tangy",
                started_at=now - timedelta(days=2, hours=self.size + n),
                strained_at=None if n % 10 == 0 else now - timedelta(days=1, hours=self.size + n),
            )
            for n in range(new)
        ]
        number_in_start_order(batches)
        Batch.objects.bulk_create(batches)
        TastingNote.objects.bulk_create(
            TastingNote(batch=b, rating=1 + n % 5, tasted_at=b.started_at, notes="tangy")
            for n, b in enumerate(batches)
        )
        TastingNote.objects.bulk_create(
            TastingNote(batch=self.batch, rating=3, tasted_at=now) for _ in range(new)
        )
        Weighing.objects.bulk_create(
            Weighing(culture=self.culture, grams=Decimal(30), weighed_at=now - timedelta(n))
            for n in range(new)
        )
        for n in range(new):  # and more members, and open invitations
            services.accept(make_user(f"member{self.size + n}"), services.invite(self.owner)[1])
            services.invite(self.owner)
        self.size = to

    def cursor(self, rows_back):
        """A page cursor ``rows_back`` batches from the newest."""
        batch = Batch.objects.filter(owner=self.owner).order_by("-started_at", "-pk")[rows_back]
        return str(Cursor(batch.started_at, batch.pk))


@pytest.fixture
def account(owner):
    culture = make_culture(owner, "Babushka")
    batch = make_batch(culture, started_at=timezone.now() - timedelta(hours=30))
    batch.strained_at = timezone.now() - timedelta(hours=6)
    batch.save()
    # A second member of the kitchen, who strained the batch: its page names people.
    pavel = make_user("pavel")
    services.accept(pavel, services.invite(owner)[1])
    Batch.objects.filter(pk=batch.pk).update(strained_by=pavel)
    account = Account(owner=owner, culture=culture, deepest=culture, batch=batch)
    account.grow(5)
    return account


def today(a):
    return reverse("batches:today"), {}


def start_form(a):
    return f"{reverse('batches:today')}?start={a.culture.pk}", HTMX


def history(a):
    return reverse("batches:history"), {}


def history_filtered(a):
    query = f"q=tangy&culture={a.culture.pk}&base=cow&status=done&min_rating=2"
    return f"{reverse('batches:history')}?{query}", {}


def history_deep(a):
    return f"{reverse('batches:history')}?cursor={a.cursor(a.size - 2)}", {}


def history_load_more(a):
    return f"{reverse('batches:history')}?cursor={a.cursor(2)}", HTMX


def history_back_to_the_place(a):
    """Back to History after scrolling: every row down to the last one loaded."""
    return f"{reverse('batches:history')}?q=tangy&through={a.cursor(a.size - 2)}", {}


def batch_detail(a):
    return a.batch.get_absolute_url(), {}


def batch_edit_form(a):
    return f"{a.batch.get_absolute_url()}?form=edit", HTMX


def grains_list(a):
    return reverse("grains:list"), {}


def lineage_overview(a):
    return reverse("grains:lineage"), {}


def culture_top(a):
    return a.culture.get_absolute_url(), {}


def culture_deepest(a):
    return a.deepest.get_absolute_url(), {}


def culture_batches_more(a):
    return f"{a.culture.get_absolute_url()}?cursor={a.cursor(2)}", HTMX


def culture_edit_form(a):
    return f"{a.deepest.get_absolute_url()}?form=edit", {}


def account_page(a):
    return reverse("accounts:account"), {}


def password_change(a):
    return reverse("accounts:password_change"), {}


def your_data(a):
    return reverse("archive:your_data"), {}


def insights(a):
    return reverse("insights:insights"), {}


def kitchen_page(a):
    return reverse("kitchens:kitchen"), {}


PAGES = [
    today,
    start_form,
    history,
    history_filtered,
    history_deep,
    history_load_more,
    history_back_to_the_place,
    batch_detail,
    batch_edit_form,
    grains_list,
    lineage_overview,
    culture_top,
    culture_deepest,
    culture_batches_more,
    culture_edit_form,
    account_page,
    password_change,
    your_data,
    insights,
    kitchen_page,
]


def queries(client, page, account):
    url, headers = page(account)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("page", PAGES, ids=[page.__name__ for page in PAGES])
def test_a_page_takes_as_many_queries_with_500_rows_as_with_5(
    owner_client, account, page, django_assert_num_queries
):
    with_five = queries(owner_client, page, account)
    account.grow(500)
    url, headers = page(account)
    with django_assert_num_queries(with_five):
        response = owner_client.get(url, **headers)
    assert response.status_code == 200


# The culture page: 9 since it lists its status history (one small indexed query);
# Today 7 since it asks apart for the batches strained in the last minutes (their Undo).
@pytest.mark.parametrize(
    ("page", "budget"),
    [
        (today, 7),
        (history, 5),
        (history_load_more, 3),
        (history_back_to_the_place, 5),  # rows, "any older?", the search's count
        (batch_detail, 4),
        (culture_deepest, 9),
        (insights, 11),  # the session and user, seven figures, the model's one query
    ],
    ids=[
        "today",
        "history",
        "load_more",
        "back_to_the_place",
        "batch_detail",
        "culture_deepest",
        "insights",
    ],
)
def test_the_benchmarked_pages_stay_within_a_few_queries(
    owner_client, account, page, budget, django_assert_max_num_queries
):
    account.grow(500)
    url, headers = page(account)
    with django_assert_max_num_queries(budget):
        assert owner_client.get(url, **headers).status_code == 200

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
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch, TastingNote, number_in_start_order
from kefir_tracker.batches.pagination import Cursor
from kefir_tracker.gifts import services as gifts
from kefir_tracker.grains.models import Culture, Weighing
from kefir_tracker.kitchens import services
from kefir_tracker.labels import services as labels
from kefir_tracker.sharing.models import make_link
from kefir_tracker.sharing.throttling import allow_visit
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
            # Some grains are due fresh food (Today's "Grains"): hungry ones, resting ones.
            since = {2: {}, 4: {"status": "resting"}}.get(n % 10)
            fed = {} if since is None else {**since, "status_changed_at": now - timedelta(11)}
            self.deepest = make_culture(
                self.owner, f"Split {self.size + n}", parent=self.deepest, origin="split", **fed
            )
            splits.append(self.deepest)
        # Every tenth batch is fermenting, each in a split of its own (one jar per colony);
        # of the strained ones, every tenth is bottled, and every tenth is not tasted.
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
        for n, batch in enumerate(batches):
            if n % 10 == 4:
                batch.bottled_at = batch.strained_at
        number_in_start_order(batches)
        Batch.objects.bulk_create(batches)
        TastingNote.objects.bulk_create(
            TastingNote(batch=b, rating=1 + n % 5, tasted_at=b.started_at, notes="tangy")
            for n, b in enumerate(batches)
            if n % 10 not in (3, 4)
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


def start_coach(a):
    """The ratio coach's answer, asked as the start form is typed in."""
    url = reverse("batches:coach", args=[a.culture.pk])
    return f"{url}?ready_by=07:30&grains_in_g=25&volume_ml=500", HTMX


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


def share_card(a):
    for _ in range(a.size // 100 + 1):  # more links as the account grows
        make_link(a.owner, a.culture, expires_in=None, include_batches=False)
    return reverse("sharing:manage", args=[a.culture.pk]), HTMX


def shared_tree(a):
    """The family tree as a friend opens it (the lineage is the whole line of splits)."""
    _, token = make_link(a.owner, a.deepest, expires_in=None, include_batches=True)
    url = reverse("sharing:shared", args=[token])
    Client().get(url)  # the first visit in a while also opens a window of the rate limit
    return url, {}


def _gift_of(giver, culture, **accepted):
    new = gifts.make_gift(giver, culture, share_ancestry=True)
    return new, accepted and gifts.accept_gift(new.gift, **accepted)


def given_grains(a):
    """The giver's card: more gifts (made and cut) as the account grows, and the one a
    friend accepted, with more splits grown from it."""
    given = make_culture(a.owner, f"Given {a.size}", status="given_away", given_to="Masha")
    for _ in range(a.size // 100 + 1):
        new, _ = _gift_of(a.owner, given)
        gifts.cut(new.gift, a.owner)
    friend = make_user()
    _, grown = _gift_of(a.owner, given, recipient=friend, name="Gift", share_growth=True)
    for n in range(a.size // 10 + 1):
        grown = make_culture(friend, f"Grown {n}", parent=grown, origin="split")
    return given.get_absolute_url(), {}


def received_grains(a):
    """Grains a friend gave, with as many ancestors as a gift keeps."""
    friend = make_user()
    top = None
    for n in range(min(a.size, 60)):
        top = make_culture(friend, f"Ancestor {n}", parent=top, origin="split")
    top.status, top.given_to = "given_away", "me"
    top.save()
    _, culture = _gift_of(
        friend, top, recipient=a.owner, name=f"From a friend {a.size}", share_growth=False
    )
    return culture.get_absolute_url(), {}


def gift_offer(a):
    friend = make_user()
    given = make_culture(friend, "For you", status="given_away", given_to="me")
    new, _ = _gift_of(friend, given)
    allow_visit("127.0.0.1")  # the first visit in a while also opens a window of the rate limit
    return reverse("gifts:open", args=[new.token]), {}


def receive_gift(a):
    return reverse("gifts:receive"), {}


def account_page(a):
    return reverse("accounts:account"), {}


def password_change(a):
    return reverse("accounts:password_change"), {}


def your_data(a):
    return reverse("archive:your_data"), {}


def insights(a):
    return reverse("insights:insights"), {}


def jar_labels(a):
    return reverse("labels:choose"), {}


def print_labels(a):
    """Every jar in use, two labels each: the jars fermenting since the account grew have
    no code yet, so both visits make codes."""
    in_use = labels.jars(a.owner)
    query = "&".join(f"batch={jar.pk}" for jar in in_use)
    return f"{reverse('labels:print')}?{query}&paper=a4&size=small&skip=3&copies=2", {}


def kitchen_page(a):
    return reverse("kitchens:kitchen"), {}


PAGES = [
    today,
    start_form,
    start_coach,
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
    share_card,
    shared_tree,
    given_grains,
    received_grains,
    gift_offer,
    receive_gift,
    account_page,
    password_change,
    your_data,
    insights,
    jar_labels,
    print_labels,
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
# Today 8: the session and user, the grains (two), the model's one query and one
# indexed range per part of the cycle: fermenting, waiting for a tasting (with those
# strained in the last minutes, for their Undo), in bottles (with the second ferments
# finished in the last minutes, one UNION).
@pytest.mark.parametrize(
    ("page", "budget"),
    [
        (today, 8),
        (history, 5),
        (start_coach, 4),  # the session, the user, the grains, the model's one query
        (history_load_more, 3),
        (history_back_to_the_place, 5),  # rows, "any older?", the search's count
        # The session and user, the batch, its tastings, and its people's names (the
        # account's kitchen has a second member: one person alone names nobody).
        (batch_detail, 5),
        (culture_deepest, 9),
        # The session and user (of the client), the count of visits, the link, the
        # tree (two), the weight (two), the batches.
        (shared_tree, 9),
        (insights, 11),  # the session and user, seven figures, the model's one query
        (jar_labels, 3),
        (print_labels, 7),  # the jars, their codes (made: stored, read back), the model
    ],
    ids=[
        "today",
        "history",
        "start_coach",
        "load_more",
        "back_to_the_place",
        "batch_detail",
        "culture_deepest",
        "shared_tree",
        "insights",
        "jar_labels",
        "print_labels",
    ],
)
def test_the_benchmarked_pages_stay_within_a_few_queries(
    owner_client, account, page, budget, django_assert_max_num_queries
):
    account.grow(500)
    url, headers = page(account)
    with django_assert_max_num_queries(budget):
        assert owner_client.get(url, **headers).status_code == 200

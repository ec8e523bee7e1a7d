"""The family tree a share link opens, with no sign-in: what it shows, everything it
must never show, and the one 404 for every link that opens nothing."""

import hashlib
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.kitchens import services as kitchens
from kefir_tracker.kitchens.models import Membership
from kefir_tracker.sharing.models import ShareLink
from tests.factories import make_batch, make_culture, make_tasting, make_user
from tests.sharing.helpers import (
    HTMX,
    PRIVATE,
    batch_rows,
    family,
    make_share_link,
    text,
    token_of,
    tree_rows,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kitchen(owner):
    return family(owner)


@pytest.fixture
def link(owner_client, kitchen):
    """A link to Babushka II's family tree, batches not included."""
    return make_share_link(owner_client, kitchen.second)


def visit(path, address="198.51.100.7"):
    """Open ``path`` as someone who was sent the link: no session, no cookie."""
    return Client(REMOTE_ADDR=address).get(path)


def test_the_page_shows_the_whole_tree_with_generations_origins_and_batch_counts(link):
    response = visit(link)

    assert response.status_code == 200
    assert tree_rows(response.text) == [
        "Babushka gen 0 · active · 1 batch Gift from Grandma Vera",
        "Babushka II shared gen 1 · active · 3 batches",
        "Little B gen 2 · active · 0 batches",
        "Jar for a friend gen 1 · given away · 0 batches",
    ]
    page = text(response.text)
    assert "Babushka lineage 4 cultures 4 batches" in page
    assert "Generation 1 Origin Split from Babushka," in page
    assert "Batches 3 Weight 29 g" in page  # discarded batches made no kefir
    assert "Highland" not in page  # a tree of its own


def test_the_page_draws_the_weight_of_the_shared_grains(link):
    response = visit(link)

    assert 'class="weight-chart"' in response.text
    rows = [
        text(row) for row in re.findall(r'<tr class="weight-row">(.*?)</tr>', response.text, re.S)
    ]
    weighed = [
        row.removesuffix(" weighed").rsplit(" ", 2)[-2] for row in rows if row.endswith("weighed")
    ]
    assert weighed == ["29", "26", "24"]  # newest first
    assert any(row.endswith("g out of batch 3") for row in rows)


@pytest.mark.parametrize("what", sorted(PRIVATE))
def test_nothing_private_is_on_the_page(owner_client, kitchen, what):
    """Not even with the batches included."""
    for path in (
        make_share_link(owner_client, kitchen.second),
        make_share_link(owner_client, kitchen.second, include_batches="on"),
    ):
        response = visit(path)
        assert response.status_code == 200
        assert PRIVATE[what] not in response.text


def test_the_owner_is_not_named(owner, owner_client, kitchen):
    owner.email = "olga.k@example.org"
    owner.save()
    response = visit(make_share_link(owner_client, kitchen.second, include_batches="on"))

    assert owner.username not in response.text.lower()
    assert "example.org" not in response.text


def test_batches_are_not_shown_unless_the_owner_chose_so(link):
    response = visit(link)

    assert batch_rows(response.text) == []
    assert "cow milk" not in response.text
    assert "Batches of" not in response.text


def test_chosen_batches_show_their_date_base_and_time_only(owner_client, kitchen):
    response = visit(make_share_link(owner_client, kitchen.second, include_batches="on"))

    table = response.text.split('class="shared-batches"', 1)[1]
    started = re.findall(r'<time datetime="([^"]+)">', table)
    assert started == [
        timezone.localtime(b.started_at).isoformat(timespec="seconds")
        for b in kitchen.batches[::-1]
    ]
    rows = [row.split(" ", 3)[-1] for row in batch_rows(response.text)]  # after "Sun 29 Nov"
    assert rows == ["soy milk 21 h", "goat milk 21 h", "cow milk 21 h"]
    # newest first; the discarded one made no kefir


def test_a_fermenting_batch_shows_its_time_so_far(owner_client, kitchen):
    make_batch(kitchen.root, started_at=timezone.now() - timedelta(hours=5))

    response = visit(make_share_link(owner_client, kitchen.root, include_batches="on"))

    assert batch_rows(response.text)[0].endswith("cow milk 5 h so far")


def test_no_link_on_the_page_leads_to_a_private_page(owner_client, kitchen):
    response = visit(make_share_link(owner_client, kitchen.second, include_batches="on"))

    links = set(re.findall(r'(?:href|hx-get|action)="([^"]*)"', response.text))
    assert links, "the page links to nothing at all?"
    private = {
        link
        for link in links
        if not link.startswith(("/static/", reverse("accounts:login"), "#"))
        and link != reverse("service_worker")
    }
    assert private == set()
    assert "<form" not in response.text


def test_a_signed_in_visitor_sees_the_same_page_without_their_own_header(link, client, other_user):
    client.force_login(other_user)
    response = client.get(link)

    assert response.status_code == 200
    assert "Babushka II" in response.text
    assert other_user.username not in response.text
    assert 'class="tab-bar"' not in response.text


def test_the_page_is_for_no_robot_and_no_cache(link):
    response = visit(link)

    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert '<meta name="robots" content="noindex, nofollow">' in response.text


def _without_csrf(response):
    return re.sub(r'"x-csrftoken": "[^"]+"', "", response.content.decode())


def test_an_unknown_a_turned_off_and_an_expired_link_get_the_same_404(owner_client, kitchen):
    turned_off = make_share_link(owner_client, kitchen.second)
    link = ShareLink.objects.get()
    owner_client.post(reverse("sharing:revoke", args=[link.pk]))
    expired = make_share_link(owner_client, kitchen.second, expires="7")
    unknown = "/shared/" + "A" * 43 + "/"
    malformed = "/shared/not-a-token/"

    later = timezone.now() + timedelta(days=7, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        answers = [visit(path) for path in (unknown, turned_off, expired, malformed)]

    assert [answer.status_code for answer in answers] == [404] * 4
    assert len({_without_csrf(answer) for answer in answers}) == 1
    assert len({tuple(sorted(set(answer.headers) - {"Date"})) for answer in answers}) == 1
    assert "This link opens nothing" in answers[0].text
    assert answers[0]["X-Robots-Tag"] == "noindex, nofollow"
    assert answers[0]["Referrer-Policy"] == "no-referrer"


def test_a_link_works_until_it_expires(owner_client, kitchen):
    path = make_share_link(owner_client, kitchen.second, expires="7")
    made = timezone.now()

    with mock.patch("django.utils.timezone.now", return_value=made + timedelta(days=6, hours=23)):
        before = visit(path)
    with mock.patch("django.utils.timezone.now", return_value=made + timedelta(days=7, minutes=1)):
        after = visit(path)

    assert before.status_code == 200
    assert "expires, on" in text(before.text)
    assert after.status_code == 404


def test_a_turned_off_link_opens_nothing_at_once(owner_client, link):
    assert visit(link).status_code == 200
    share = ShareLink.objects.get()

    owner_client.post(reverse("sharing:revoke", args=[share.pk]), **HTMX)

    assert visit(link).status_code == 404
    share.refresh_from_db()
    assert share.revoked_at is not None


def test_a_link_of_someone_whose_account_was_turned_off_opens_nothing(owner, link):
    owner.is_active = False
    owner.save()

    assert visit(link).status_code == 404


def test_a_link_opens_the_tree_whichever_kitchen_its_maker_is_in_now(owner, link):
    """The tree is read from its grains' kitchen, not from where the maker is now."""
    shown = tree_rows(visit(link).content.decode())
    neighbour = make_user("neighbour")
    _, code = kitchens.invite(neighbour)
    kitchens.accept(owner, code)  # joining moves the owner into the neighbour's kitchen
    owner.refresh_from_db()
    assert owner.current_kitchen.pk == neighbour.current_kitchen.pk

    assert tree_rows(visit(link).content.decode()) == shown


def test_a_link_opens_nothing_once_its_maker_is_removed_from_the_kitchen(owner, kitchen):
    household = make_user("household")
    _, code = kitchens.invite(owner)
    kitchens.accept(household, code)
    household_client = Client()
    household_client.force_login(household)
    their_link = make_share_link(household_client, kitchen.second)
    assert visit(their_link).status_code == 200

    kitchens.remove_member(
        owner, Membership.objects.get(user=household, kitchen=owner.current_kitchen).pk
    )

    assert visit(their_link).status_code == 404


def test_deleted_grains_take_their_links_with_them(owner_client, owner):
    lonely = make_culture(owner, "Lonely")
    path = make_share_link(owner_client, lonely)

    owner_client.post(reverse("grains:delete", args=[lonely.pk]))

    assert not ShareLink.objects.exists()
    assert visit(path).status_code == 404


def test_the_token_is_kept_only_as_its_hash(owner_client, kitchen):
    plain = make_share_link(owner_client, kitchen.second)
    # The page a plain post leads to shows a second link once, from the session.
    response = owner_client.post(
        reverse("sharing:create", args=[kitchen.second.pk]), {"expires": "never"}
    )
    page = owner_client.get(response.url)
    second = re.search(r'id="share-link" type="url" value="http://testserver([^"]+)"', page.text)
    tokens = [token_of(plain), token_of(second.group(1))]

    assert sorted(ShareLink.objects.values_list("token_hash", flat=True)) == sorted(
        hashlib.sha256(token.encode()).hexdigest() for token in tokens
    )
    for model in apps.get_models():
        for row in model.objects.values():
            assert not any(token in str(row) for token in tokens), model
    for session in Session.objects.all():
        assert not any(token in str(session.get_decoded()) for token in tokens)


def test_a_page_is_shown_in_the_kitchens_time_zone(owner, owner_client, kitchen):
    owner.time_zone = "Pacific/Auckland"
    owner.save()
    response = visit(make_share_link(owner_client, kitchen.second, include_batches="on"))

    assert re.search(r'<time datetime="[^"]+\+1[23]:00">', response.text)


def test_another_persons_tastings_and_trees_stay_out(owner_client, kitchen, other_user):
    theirs = make_culture(other_user, "Babushka II junior")
    make_tasting(make_batch(theirs), notes="Their own note")

    response = visit(make_share_link(owner_client, kitchen.second, include_batches="on"))

    assert "junior" not in response.text
    assert "Their own note" not in response.text

"""Walk the whole URLconf: every route is closed to signed-out visitors, and every
route that takes an object answers 404 to anyone outside its kitchen (a stranger, or a
member removed from it), for GET and POST, and as usual to every member of it.

A route added later is checked automatically; one that takes an object this file
does not know how to make fails `test_every_object_route_is_known` until it is
added to OBJECT_MAKERS.
"""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kefir_tracker.gifts.services import make_gift
from kefir_tracker.grains.models import Status
from kefir_tracker.kitchens import services
from kefir_tracker.kitchens.models import Membership
from kefir_tracker.labels.models import codes_for
from kefir_tracker.push.models import PushSubscription
from kefir_tracker.sharing.models import make_link
from tests.factories import make_batch, make_culture, make_user

# Routes anyone may open: signing in and up, the service worker and the offline page it
# keeps (nobody's data), and the admin (which has its own sign-in).
PUBLIC = {"accounts:login", "accounts:sign_up", "accounts:logout", "service_worker", "offline"}
# Routes opened by a secret in the link instead of a sign-in (a calendar app has none):
# anyone with the link, nobody without (tests/reminders/test_feed.py,
# tests/sharing/test_shared_page.py).
SECRET_LINKS = {"reminders:feed", "sharing:shared", "kitchens:join"}
# A jar label's QR code: the batch for whoever may see it, and for anyone else, signed in
# or not, one page that names nothing, whatever the code (tests/labels/test_jar_link.py).
JAR_LABELS = {"labels:jar"}
# A gift's link or code: for whoever signed in holds it (the giver's friend), the same 404
# for any other key (tests/gifts/test_gifts.py); signed out, to sign in and back.
GIFT_LINKS = {"gifts:open"}


def walk(patterns=None, namespace="", outer=()):
    """(name, URL keywords) of every named route, keywords of enclosing includes too."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        keywords = [*outer, *getattr(entry.pattern, "converters", {})]
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner, keywords)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", keywords


ROUTES = sorted(walk())
OPEN_LINKS = SECRET_LINKS | JAR_LABELS
OBJECT_ROUTES = [
    (name, kwargs) for name, kwargs in ROUTES if kwargs and name not in OPEN_LINKS | GIFT_LINKS
]
PRIVATE_ROUTES = [(name, kwargs) for name, kwargs in ROUTES if name not in PUBLIC | OPEN_LINKS]


def _culture(owner):
    return make_culture(owner)


def _batch(owner):
    return make_batch(make_culture(owner))


def _push_subscription(owner):
    return PushSubscription.objects.create(
        owner=owner, endpoint=f"https://push.example.org/{owner.pk}", p256dh="-", auth="-"
    )


def _share_link(owner):
    link, _ = make_link(owner, make_culture(owner), expires_in=None, include_batches=False)
    return link


def _invitation(owner):
    return services.invite(owner)[0]


def _membership(owner):
    """Someone else's membership of the owner's kitchen."""
    _, code = services.invite(owner)
    services.accept(make_user(), code)
    return Membership.objects.filter(kitchen_id=owner.current_kitchen_id).last()


def _given_culture(owner):
    return make_culture(owner, status=Status.GIVEN_AWAY, given_to="Masha")


def _gift(owner):
    return make_gift(owner, _given_culture(owner), share_ancestry=True).gift


def _gift_key(owner):
    return SimpleNamespace(pk=make_gift(owner, _given_culture(owner), share_ancestry=True).token)


# (namespace, URL keyword) -> how to make an object of that kind for its owner.
OBJECT_MAKERS = {
    ("batches", "pk"): _batch,
    ("batches", "culture_pk"): _culture,
    ("grains", "pk"): _culture,
    ("reminders", "pk"): _batch,  # a batch's calendar file
    ("push", "pk"): _push_subscription,  # a phone that gets notifications
    ("sharing", "culture_pk"): _culture,  # its share card
    ("sharing", "pk"): _share_link,
    ("kitchens", "invitation_pk"): _invitation,
    ("kitchens", "membership_pk"): _membership,
    ("gifts", "culture_pk"): _given_culture,  # its gift card makes a link
    ("gifts", "pk"): _gift,  # cut, download
    ("gifts", "key"): _gift_key,
}


def url_for(name, kwargs, owner):
    namespace = name.split(":")[0]
    values = {kw: OBJECT_MAKERS[(namespace, kw)](owner).pk for kw in kwargs}
    return reverse(name, kwargs=values)


def test_the_walk_finds_the_routes():
    names = [name for name, _ in ROUTES]
    assert "batches:detail" in names
    assert "grains:detail" in names
    assert len(OBJECT_ROUTES) >= 5
    assert set(names) >= SECRET_LINKS | JAR_LABELS
    assert {"labels:choose", "labels:print"} <= {name for name, _ in PRIVATE_ROUTES}


@pytest.mark.parametrize("name", sorted(JAR_LABELS))
def test_a_jar_label_names_nothing_to_anyone_but_its_owner(other_client, owner, name):
    """The owner's own jar's code, opened by someone else or signed out."""
    batch = _batch(owner)
    (code,) = codes_for([batch]).values()
    url = reverse(name, kwargs={"code": code})
    for visitor in (other_client, Client()):
        response = visitor.get(url)
        assert response.status_code == 200
        assert batch.culture.name not in response.text


@pytest.mark.parametrize(("name", "kwargs"), OBJECT_ROUTES, ids=[n for n, _ in OBJECT_ROUTES])
def test_every_object_route_is_known(name, kwargs):
    missing = [kw for kw in kwargs if (name.split(":")[0], kw) not in OBJECT_MAKERS]
    assert not missing, f"{name} takes {missing}: add them to OBJECT_MAKERS in this file"


@pytest.mark.parametrize(("name", "kwargs"), OBJECT_ROUTES, ids=[n for n, _ in OBJECT_ROUTES])
def test_another_user_gets_404_for_get_and_post(other_client, owner, name, kwargs):
    url = url_for(name, kwargs, owner)
    answers = {
        other_client.get(url).status_code,
        other_client.get(url, HTTP_HX_REQUEST="true").status_code,
        other_client.post(url, {"name": "stolen"}).status_code,
        other_client.post(url, {"name": "stolen"}, HTTP_HX_REQUEST="true").status_code,
    }
    # 405 only where the route does not take that method at all.
    assert answers <= {404, 405}
    assert 404 in answers


@pytest.mark.parametrize(("name", "kwargs"), PRIVATE_ROUTES, ids=[n for n, _ in PRIVATE_ROUTES])
def test_a_signed_out_visitor_is_sent_to_sign_in(client, owner, name, kwargs):
    url = url_for(name, kwargs, owner)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("name", sorted(SECRET_LINKS))
def test_a_secret_link_answers_a_signed_out_visitor_itself(client, owner, name):
    """Not sent to sign in (a calendar app, a friend, cannot): a link that opens nothing
    is a 404 for them, a real one is tested with its page."""
    response = client.get(reverse(name, kwargs={"token": "A" * 43}))
    assert response.status_code == 404


def test_the_owner_can_open_every_object_page(owner_client, owner):
    for name, kwargs in OBJECT_ROUTES:
        response = owner_client.get(url_for(name, kwargs, owner))
        assert response.status_code in {200, 302, 405}, name


def _member_of(owner):
    """A person who joined the owner's kitchen and is in it now, with their client."""
    member = make_user()
    services.accept(member, services.invite(owner)[1])
    client = Client()
    client.force_login(member)
    return member, client


def test_a_member_gets_what_the_owner_gets_on_every_object_page(owner_client, owner):
    _, member_client = _member_of(owner)
    for name, kwargs in OBJECT_ROUTES:
        if name.startswith("kitchens:"):
            continue  # what only an owner may do: tests/kitchens/test_invitations_and_roles.py
        url = url_for(name, kwargs, owner)
        answers = [client.get(url).status_code for client in (owner_client, member_client)]
        assert answers[0] == answers[1], name
        assert answers[1] in {200, 302, 405}, name


@pytest.mark.parametrize(("name", "kwargs"), OBJECT_ROUTES, ids=[n for n, _ in OBJECT_ROUTES])
def test_a_removed_member_gets_404_for_get_and_post(owner, name, kwargs):
    member, member_client = _member_of(owner)
    url = url_for(name, kwargs, owner)
    services.remove_member(
        owner, Membership.objects.get(user=member, kitchen_id=owner.current_kitchen_id).pk
    )
    answers = {
        member_client.get(url).status_code,
        member_client.get(url, HTTP_HX_REQUEST="true").status_code,
        member_client.post(url, {"name": "stolen"}).status_code,
        member_client.post(url, {"name": "stolen"}, HTTP_HX_REQUEST="true").status_code,
    }
    assert answers <= {404, 405}
    assert 404 in answers


@pytest.mark.parametrize("pk", [0, 10**20, "9" * 40])
@pytest.mark.parametrize(("name", "kwargs"), OBJECT_ROUTES, ids=[n for n, _ in OBJECT_ROUTES])
def test_an_id_nobody_has_is_a_404_however_large(owner_client, owner, name, kwargs, pk):
    url = reverse(name, kwargs=dict.fromkeys(kwargs, pk))
    answers = {owner_client.get(url).status_code, owner_client.post(url).status_code}
    assert answers <= {404, 405}
    assert 404 in answers


@pytest.mark.parametrize("path", ["/batches/١٢/", "/grains/٣/", "/batches/1٢/strain/"])
def test_an_id_in_other_digits_is_no_route(owner_client, path):
    assert owner_client.get(path).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "batches:today",
        "batches:history",
        "grains:list",
        "grains:lineage",
        "accounts:account",
        "insights:insights",
        "labels:choose",
        "gifts:receive",
    ],
)
def test_pages_answer_head_as_get_without_a_body(owner_client, name):
    response = owner_client.head(reverse(name))
    assert response.status_code == 200
    assert response.content == b""


def test_object_pages_answer_head_too(owner_client, owner):
    batch = make_batch(make_culture(owner))
    for url in (batch.get_absolute_url(), batch.culture.get_absolute_url()):
        assert owner_client.head(url).status_code == 200


@pytest.mark.parametrize("name", ["batches:today", "batches:history"])
def test_pages_that_answer_htmx_with_a_fragment_vary_on_it(owner_client, name):
    page = owner_client.get(reverse(name))
    fragment = owner_client.get(reverse(name), HTTP_HX_REQUEST="true")
    assert "HX-Request" in page["Vary"]
    assert "<html" in page.text
    assert "<html" not in fragment.text

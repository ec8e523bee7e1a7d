"""Where a label's QR code leads, /j/<code>: the batch for the person whose jar it is; for
anyone else one page that names nothing, whatever the code; and signing in from that
page lands on the batch."""

import re
from html import unescape
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kefir_tracker.kitchens import services as kitchens
from kefir_tracker.kitchens.models import Membership
from kefir_tracker.labels.models import JarCode
from tests.factories import PASSWORD, make_batch, make_culture, make_user
from tests.labels.helpers import jars, labels, print_url

NEUTRAL = "This is a Kefir Tracker jar label."
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value|"x-csrftoken": )"?[^"\'>]+')


@pytest.fixture
def kitchen(owner):
    return jars(owner)


@pytest.fixture
def address(owner_client, kitchen):
    """The address in the fermenting jar's printed QR code."""
    (label,) = labels(owner_client.get(print_url(kitchen["fermenting"])).text)
    return label.address


def path(address):
    return address.removeprefix("http://testserver")


def without_tokens(html):
    return CSRF.sub("", html)


def assert_says_nothing(response, kitchen):
    """The neutral page: no grains, no batch number, nothing of the owner's."""
    assert response.status_code == 200
    text = response.text
    for private in ("Babushka", "Tibicos", "olga", f"#{kitchen['fermenting'].number}", "cow"):
        assert private not in text
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in text
    assert "no-store" in response["Cache-Control"]


def test_the_owner_goes_straight_to_the_batch(owner_client, kitchen, address):
    response = owner_client.get(path(address))
    assert response.status_code == 302
    assert response.url == kitchen["fermenting"].get_absolute_url()
    assert "noindex" in response["X-Robots-Tag"]
    page = owner_client.get(response.url)
    assert "Babushka" in page.text
    assert 'class="strain-form"' in page.text or ">Strain</button>" in page.text


def test_a_bottles_label_opens_the_bottle(owner_client, kitchen):
    (label,) = labels(owner_client.get(print_url(kitchen["bottled"])).text)
    response = owner_client.get(path(label.address))
    assert response.url == kitchen["bottled"].get_absolute_url()


def test_someone_signed_out_is_told_to_sign_in_and_nothing_else(kitchen, address):
    response = Client().get(path(address))
    assert_says_nothing(response, kitchen)
    assert f"{NEUTRAL} Sign in to see it." in response.text
    sign_in = f"{reverse('accounts:login')}?next=%2Fj%2F{path(address).rsplit('/', 1)[1]}"
    assert f'href="{sign_in}"' in response.text


def test_signing_in_from_it_lands_on_the_batch(kitchen, address, owner):
    visitor = Client()
    page = visitor.get(path(address)).text
    sign_in = re.search(r'<a class="button" href="([^"]+)">Sign in</a>', page).group(1)
    form = visitor.get(sign_in.replace("&amp;", "&"))
    next_field = re.search(r'name="next" value="([^"]*)"', form.text).group(1)
    assert next_field == path(address)

    response = visitor.post(
        reverse("accounts:login"),
        {"username": owner.username, "password": PASSWORD, "next": next_field},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == kitchen["fermenting"].get_absolute_url()
    assert response.status_code == 200
    assert "Babushka" in response.text


def test_another_person_is_told_it_is_not_theirs_and_nothing_else(kitchen, address, other_client):
    response = other_client.get(path(address))
    assert_says_nothing(response, kitchen)
    assert "not one of your jars" in response.text


def test_a_known_code_an_unknown_one_and_nonsense_look_the_same_to_outsiders(
    kitchen, address, other_user
):
    unknown = "/j/" + "A" * 12
    signed_out, other = Client(), Client()
    other.force_login(other_user)
    for client in (signed_out, other):
        pages = {
            url: client.get(url)
            for url in (path(address), unknown, "/j/x", "/j/" + "é" * 12, "/j/" + "9" * 400)
        }
        statuses = {response.status_code for response in pages.values()}
        assert statuses == {200}
        bodies = {
            without_tokens(response.text).replace(quote(url, safe=""), "CODE")
            for url, response in pages.items()
        }
        assert len(bodies) == 1, "the page differs by code"


def test_a_signed_out_visitor_is_not_even_looked_up(kitchen, address):
    with CaptureQueriesContext(connection) as captured:
        Client().get(path(address))
    assert not [q for q in captured if JarCode._meta.db_table in q["sql"]]


def test_a_lookup_is_one_query_among_the_persons_own_jars(owner_client, kitchen, address):
    with CaptureQueriesContext(connection) as captured:
        owner_client.get(path(address))
    lookups = [q["sql"] for q in captured if JarCode._meta.db_table in q["sql"]]
    assert len(lookups) == 1
    assert "kitchens_membership" in lookups[0]  # among the jars of their own kitchens


def test_a_deleted_batch_label_opens_nothing(owner_client, kitchen, address):
    kitchen["fermenting"].delete()
    assert not JarCode.objects.exists()
    response = owner_client.get(path(address))
    assert response.status_code == 200
    assert "not one of your jars" in response.text


def test_labels_of_other_people_open_only_theirs(owner_client, other_user, kitchen, address):
    """Two people, a label each: each label opens its own person's batch only."""
    theirs = make_batch(make_culture(other_user, "Mallory's grains"))
    other = Client()
    other.force_login(other_user)
    (their_label,) = labels(other.get(print_url(theirs)).text)

    assert other.get(path(their_label.address)).url == theirs.get_absolute_url()
    assert owner_client.get(path(their_label.address)).status_code == 200
    assert other.get(path(address)).status_code == 200
    assert owner_client.get(path(address)).url == kitchen["fermenting"].get_absolute_url()


def test_the_link_answers_head_and_refuses_posts(kitchen, address):
    assert Client().head(path(address)).status_code == 200
    assert Client().post(path(address)).status_code == 405


def test_a_member_in_another_kitchen_now_is_offered_to_switch_to_the_jars(owner, kitchen, address):
    """Pavel, in Olga's kitchen and his own, scans her jar while in his own."""
    pavel = make_user("pavel")
    _, code = kitchens.invite(owner)
    kitchens.accept(pavel, code)
    kitchens.switch(pavel, Membership.objects.filter(user=pavel).order_by("pk").first().kitchen_id)
    pavel.refresh_from_db()
    assert pavel.current_kitchen_id != owner.current_kitchen_id
    client = Client()
    client.force_login(pavel)

    response = client.get(path(address))

    assert response.status_code == 302
    assert response.url == kitchen["fermenting"].get_absolute_url()
    page = client.get(response.url)
    assert page.status_code == 404
    assert f"Switch to {owner.current_kitchen.name}" in unescape(page.text)


def test_someone_outside_the_kitchen_still_gets_the_page_that_says_nothing(
    kitchen, address, other_client
):
    assert_says_nothing(other_client.get(path(address)), kitchen)

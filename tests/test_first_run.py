"""A brand-new installation opens on the first-run page, where the owner creates their
account (no known password such as demo/demo anywhere), with the demo year on offer."""

import pytest
from django.urls import reverse

from kefir_tracker.accounts.models import User
from tests.factories import make_user

FIRST_RUN = "/account/welcome/"
OWNER = {
    "username": "olga",
    "password1": "a long kitchen passphrase",
    "password2": "a long kitchen passphrase",
}


@pytest.mark.parametrize(
    "path", ["/", "/history/", "/grains/", "/account/", "/account/sign-in/", "/account/sign-up/"]
)
def test_with_nobody_signed_up_every_page_opens_on_the_first_run_page(client, db, path):
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1][0] == FIRST_RUN
    assert "Welcome to Kefir Tracker" in response.text
    assert "Create my account" in response.text


def test_the_first_run_page_creates_the_owner_who_looks_after_the_installation(client, db):
    response = client.post(FIRST_RUN, OWNER, follow=True)
    owner = User.objects.get()
    assert owner.username == "olga"
    assert owner.check_password(OWNER["password1"])
    assert owner.is_superuser
    assert owner.is_staff
    # Signed in, on Today, told what to do next.
    assert response.redirect_chain[-1][0] == reverse("batches:today")
    assert "Welcome, olga! Add your grains to begin." in response.text
    assert client.get(reverse("admin:index")).status_code == 200
    assert not owner.cultures.exists()


def test_the_demo_year_can_fill_the_owners_account(client, db):
    response = client.post(FIRST_RUN, {**OWNER, "demo": "on"}, follow=True)
    owner = User.objects.get()
    assert "Here is a year of kefir to look around." in response.text
    assert owner.cultures.count() >= 10
    assert owner.batches.count() >= 250
    assert not User.objects.filter(username="demo").exists()  # no known password anywhere
    assert "Babushka" in client.get(reverse("grains:list")).text


def test_a_refused_owner_form_keeps_what_was_typed_and_creates_nobody(client, db):
    response = client.post(FIRST_RUN, {**OWNER, "password2": "something else", "demo": "on"})
    assert response.status_code == 200
    assert 'value="olga"' in response.text
    assert "didn’t match" in response.text or "didn't match" in response.text
    assert not User.objects.exists()


def test_once_someone_has_an_account_the_first_run_page_is_gone(client, db):
    make_user("olga")
    assert client.get(FIRST_RUN)["Location"] == reverse("accounts:login")
    response = client.post(FIRST_RUN, {**OWNER, "username": "intruder"})
    assert response["Location"] == reverse("accounts:login")
    assert not User.objects.filter(username="intruder").exists()
    assert "Sign in" in client.get(reverse("accounts:login")).text


def test_without_the_demo_on_offer_the_first_run_page_makes_an_empty_account(client, db, settings):
    settings.OFFER_DEMO = False
    assert "demo year" not in client.get(FIRST_RUN).text
    client.post(FIRST_RUN, {**OWNER, "demo": "on"})
    assert not User.objects.get().cultures.exists()

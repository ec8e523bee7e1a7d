import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PASSWORD

User = get_user_model()


def test_a_signed_out_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("batches:today"))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=/"


def test_signing_in_with_the_right_password_opens_today(client, owner):
    response = client.post(
        reverse("accounts:login"), {"username": owner.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("batches:today")
    assert f'<a class="account-link" href="{reverse("accounts:account")}">{owner.username}</a>' in (
        response.text
    )


def test_a_wrong_password_is_refused_with_a_message_and_the_username_kept(client, owner):
    response = client.post(
        reverse("accounts:login"), {"username": owner.username, "password": "nope"}
    )
    assert response.status_code == 200
    assert 'class="account-link"' not in response.text  # nobody is signed in
    assert "Please enter a correct username and password" in response.text
    assert f'value="{owner.username}"' in response.text


def test_signing_out_ends_the_session(owner_client):
    response = owner_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert owner_client.get(reverse("batches:today")).status_code == 302


def test_sign_up_creates_an_account_and_signs_in(client, db):
    response = client.post(
        reverse("accounts:sign_up"),
        {
            "username": "kasia",
            "password1": "milk-and-grains-42",
            "password2": "milk-and-grains-42",
        },
    )
    assert response.status_code == 302
    assert User.objects.get().username == "kasia"
    assert client.get(reverse("batches:today")).status_code == 200


def test_sign_up_with_mismatched_passwords_saves_nothing_and_keeps_the_username(client, db):
    response = client.post(
        reverse("accounts:sign_up"),
        {
            "username": "kasia",
            "password1": "milk-and-grains-42",
            "password2": "milk-and-grains-43",
        },
    )
    assert response.status_code == 200
    assert not User.objects.exists()
    assert "The two password fields didn’t match." in response.text
    assert 'value="kasia"' in response.text


def test_sign_up_can_be_turned_off(client, db, settings):
    settings.SIGNUP_ENABLED = False
    assert client.get(reverse("accounts:sign_up")).status_code == 404
    response = client.post(
        reverse("accounts:sign_up"),
        {
            "username": "kasia",
            "password1": "milk-and-grains-42",
            "password2": "milk-and-grains-42",
        },
    )
    assert response.status_code == 404
    assert not User.objects.exists()
    assert "Create an account" not in client.get(reverse("accounts:login")).text


def test_the_sign_in_page_offers_sign_up_while_it_is_on(client, owner):
    assert "Create an account" in client.get(reverse("accounts:login")).text


def test_changing_the_password_needs_the_old_one(owner_client, owner):
    response = owner_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "wrong",
            "new_password1": "a-new-kefir-pass",
            "new_password2": "a-new-kefir-pass",
        },
    )
    owner.refresh_from_db()
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.text
    assert owner.check_password(PASSWORD)


def test_changing_the_password_keeps_you_signed_in(owner_client, owner):
    response = owner_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-kefir-pass",
            "new_password2": "a-new-kefir-pass",
        },
    )
    owner.refresh_from_db()
    assert response.status_code == 302
    assert owner.check_password("a-new-kefir-pass")
    assert owner_client.get(reverse("batches:today")).status_code == 200


def test_preferences_are_saved(owner_client, owner):
    response = owner_client.post(
        reverse("accounts:account"),
        {
            "time_zone": "America/Chicago",
            "clock_hours": "12",
            "date_order": "md",
            "temperature_unit": "F",
            "volume_unit": "cup",
        },
    )
    owner.refresh_from_db()
    assert response.status_code == 302
    assert (
        owner.time_zone,
        owner.clock_hours,
        owner.date_order,
        owner.temperature_unit,
        owner.volume_unit,
    ) == ("America/Chicago", "12", "md", "F", "cup")


def test_an_unknown_time_zone_is_refused(owner_client, owner):
    response = owner_client.post(
        reverse("accounts:account"),
        {
            "time_zone": "Mars/Olympus",
            "clock_hours": "24",
            "date_order": "dm",
            "temperature_unit": "C",
            "volume_unit": "ml",
        },
    )
    owner.refresh_from_db()
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert owner.time_zone == "UTC"


def test_the_account_page_shows_the_chosen_time_zone_among_all_zones(owner_client, owner):
    owner.time_zone = "Europe/Warsaw"
    owner.save()
    html = owner_client.get(reverse("accounts:account")).text
    assert '<option value="Europe/Warsaw" selected>Europe/Warsaw</option>' in html
    assert html.count(" selected>") == 5  # the zone once, the clock, the dates, two units
    assert (
        '<option value="America/Argentina/Buenos_Aires">America/Argentina/Buenos Aires</option>'
        in html
    )


# ---- usernames as a phone types them ----


def test_a_username_signs_in_whatever_its_case(client, owner):
    response = client.post(
        reverse("accounts:login"),
        {"username": owner.username.capitalize(), "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("batches:today")
    assert f'class="account-link" href="{reverse("accounts:account")}">{owner.username}<' in (
        response.text
    )


def test_a_username_taken_in_another_case_is_refused_at_sign_up(client, owner):
    response = client.post(
        reverse("accounts:sign_up"),
        {
            "username": owner.username.upper(),
            "password1": "milk-42-grains",
            "password2": "milk-42-grains",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.text or "already has this username" in response.text
    assert User.objects.count() == 1


def test_the_database_refuses_two_usernames_that_differ_only_in_case(owner):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username=owner.username.upper())


@pytest.mark.parametrize("name", ["accounts:login", "accounts:sign_up"])
def test_the_phone_is_told_not_to_capitalise_the_username(client, owner, name):
    page = client.get(reverse(name)).text
    field = re.search(r'<input[^>]*name="username"[^>]*>', page).group(0)
    assert 'autocapitalize="none"' in field


def test_failed_sign_ins_count_together_whatever_the_case(client, owner):
    for typed in ["Olga", "olga", "OLGA", "oLga"]:
        client.post(reverse("accounts:login"), {"username": typed, "password": "wrong"})
    locked = client.post(reverse("accounts:login"), {"username": "olga", "password": "wrong"})
    assert locked.status_code == 429


def test_the_sign_in_page_says_what_to_do_about_a_forgotten_password(client, owner):
    assert "Forgot your password?" in client.get(reverse("accounts:login")).text


def test_signing_out_says_so(owner_client):
    response = owner_client.post(reverse("accounts:logout"), follow=True)
    assert "Signed out." in response.text
    assert 'class="account-link"' not in response.text

"""What is wrong with a new password is said under the password field, the one it is
about, and that field points at it (aria-describedby); the confirmation field only
says when the two differ."""

import re

import pytest
from django.urls import reverse


def field_group(page, name):
    """The HTML of the form field ``name``: its label, input, errors and help."""
    start = page.index(f'<label for="id_{name}"')
    end = page.find('<div class="field', start)
    return page[start : end if end != -1 else len(page)]


def described_by(group, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', group).group(0)
    return re.search(r'aria-describedby="([^"]*)"', tag).group(1).split()


@pytest.mark.django_db
def test_a_too_short_password_is_refused_under_the_password_not_the_confirmation(client):
    data = {"username": "anna", "password1": "kefir1", "password2": "kefir1"}
    page = client.post(reverse("accounts:sign_up"), data).content.decode()

    password, confirmation = field_group(page, "password1"), field_group(page, "password2")
    assert "This password is too short" in password
    assert "too short" not in confirmation
    assert "id_password1_error" in described_by(password, "password1")
    assert 'id="id_password1_error"' in password


@pytest.mark.django_db
def test_passwords_that_differ_are_said_under_the_confirmation(client):
    data = {"username": "anna", "password1": "milk-and-grains-42", "password2": "milk-42"}
    page = client.post(reverse("accounts:sign_up"), data).content.decode()

    assert "didn’t match" in field_group(page, "password2")
    assert "didn’t match" not in field_group(page, "password1")


def test_a_too_common_new_password_is_refused_under_the_new_password(owner_client, password):
    data = {"old_password": password, "new_password1": "password", "new_password2": "password"}
    page = owner_client.post(reverse("accounts:password_change"), data).content.decode()

    new, confirmation = field_group(page, "new_password1"), field_group(page, "new_password2")
    assert "This password is too common" in new
    assert "too common" not in confirmation

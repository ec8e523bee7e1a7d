"""Security headers on every response, production settings, and sign-in throttling."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from tests.commands import manage
from tests.factories import PASSWORD, make_user


@pytest.mark.parametrize("path", ["/", "/account/sign-in/", "/history/", "/grains/"])
def test_every_response_carries_a_strict_content_security_policy(client, owner, path):
    client.force_login(owner)
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    script_src = next(p for p in policy.split("; ") if p.startswith("script-src"))
    assert script_src == "script-src 'self'"
    assert "unsafe-eval" not in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_signed_out_redirects_carry_the_headers_too(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_pages_have_no_inline_scripts_or_styles(owner_client):
    html = owner_client.get(reverse("accounts:account")).text
    assert "<script>" not in html
    assert " style=" not in html
    assert "hx-on" not in html


def test_production_settings_pass_the_deployment_checks_at_warning_level(tmp_path):
    result = manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k" * 20 + "-production-secret-key-for-the-test-only-0123456789",
        ALLOWED_HOSTS="kefir.example.org",
        HTTPS="true",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_https_off_in_production_still_serves_plain_http(tmp_path):
    code = (
        "from django.conf import settings; "
        "print(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, "
        "settings.SECURE_HSTS_SECONDS)"
    )
    result = manage(
        tmp_path, "shell", "--no-imports", "-c", code, DEBUG="false", SECRET_KEY="x" * 50
    )
    assert result.stdout.split() == ["False", "False", "0"]


def test_https_on_sends_hsts_and_redirects_plain_http(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    assert client.get("/account/sign-in/").status_code == 301
    secure = client.get("/account/sign-in/", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_passwords_are_hashed_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    assert make_user().password.startswith("argon2")


def sign_in(client, username, password, address="10.0.0.7"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_that_username_at_that_address(client, owner):
    for _ in range(4):
        assert sign_in(client, owner.username, "wrong").status_code == 200
    locked = sign_in(client, owner.username, "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text

    still_locked = sign_in(client, owner.username, PASSWORD)
    assert still_locked.status_code == 429
    assert "15 minutes" in still_locked.text
    assert not still_locked.wsgi_request.user.is_authenticated


def test_a_lockout_does_not_lock_out_the_rest_of_the_household(client, owner):
    partner = make_user("piotr")
    for _ in range(5):
        sign_in(client, owner.username, "wrong")

    response = sign_in(client, partner.username, PASSWORD)

    assert response.status_code == 302
    assert client.get(reverse("batches:today")).status_code == 200


def test_a_lockout_is_per_address(client, owner):
    for _ in range(5):
        sign_in(client, owner.username, "wrong", address="10.0.0.7")
    assert sign_in(client, owner.username, PASSWORD, address="10.0.0.8").status_code == 302


def test_the_lockout_ends_after_fifteen_minutes(client, owner):
    for _ in range(5):
        sign_in(client, owner.username, "wrong")
    assert sign_in(client, owner.username, PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert sign_in(client, owner.username, PASSWORD).status_code == 302


def test_behind_a_proxy_a_client_that_reaches_the_app_directly_cannot_choose_its_address(
    client, owner, settings
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for n in range(5):
        client.post(
            reverse("accounts:login"),
            {"username": owner.username, "password": "wrong"},
            REMOTE_ADDR="192.168.1.66",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    response = client.post(
        reverse("accounts:login"),
        {"username": owner.username, "password": PASSWORD},
        REMOTE_ADDR="192.168.1.66",
        HTTP_X_FORWARDED_FOR="10.0.0.99",
    )
    assert response.status_code == 429

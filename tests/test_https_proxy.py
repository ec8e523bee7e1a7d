"""The app behind a real Caddy, as the README's HTTPS recipe sets it up.

gunicorn (DEBUG off, HTTPS=true, SECURE_PROXY_SSL_HEADER=true, no
CSRF_TRUSTED_ORIGINS) serves a SQLite file of its own on 127.0.0.1; Caddy runs
deploy/Caddyfile with ``tls internal`` for 127.0.0.1, its local authority kept in
the test's folder. The HTTPS client trusts that authority's root and nothing
else, as a phone does once the root is installed. What a person (or an attacker)
would notice: plain HTTP is sent to HTTPS, cookies never travel over plain HTTP,
HSTS is sent, signing in and starting a batch work through the proxy, and a form
posted from another origin is refused.
"""

import contextlib
import sqlite3
from types import SimpleNamespace

import pytest

from tests.commands import manage
from tests.servers import Browser, caddy, gunicorn, prepare, settings_for

pytestmark = pytest.mark.slow

USERNAME, PASSWORD = "olga", "a-long-kitchen-password-2026"
HSTS = "max-age=31536000; includeSubDomains; preload"
START_FIELDS = {"base": "cow", "volume_ml": "500", "grains_in_g": "25"}


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    """gunicorn behind Caddy, one user with two jars of grains."""
    tmp_path = tmp_path_factory.mktemp("proxy")
    env = {
        **settings_for(tmp_path / "proxy.sqlite3", "proxy"),
        "HTTPS": "true",
        "SECURE_PROXY_SSL_HEADER": "true",
        "CSRF_TRUSTED_ORIGINS": "",  # not needed behind Caddy: the forms below show it
        # gunicorn itself takes X-Forwarded-Proto from 127.0.0.1 and ::1; trusting no
        # address here, the test checks the app's own setting, which a proxy on another
        # machine depends on.
        "FORWARDED_ALLOW_IPS": "192.0.2.1",
    }
    prepare(tmp_path, env)
    code = (
        "from kefir_tracker.accounts.models import User;"
        "from kefir_tracker.grains.models import Culture;"
        f"user = User.objects.create_user({USERNAME!r}, password={PASSWORD!r});"
        f"User.objects.create_user('piotr', password={PASSWORD!r});"
        "print(*(Culture.objects.create(owner=user, name=n).pk for n in ('Babushka', 'Spare')))"
    )
    result = manage(tmp_path, "shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    jar, spare = (int(pk) for pk in result.stdout.split()[-2:])
    with contextlib.ExitStack() as running:
        app_port, log = running.enter_context(gunicorn(tmp_path, env, workers=1))
        upstream = f"127.0.0.1:{app_port}"
        http_port, https_port, tls = running.enter_context(caddy(tmp_path, "127.0.0.1", [upstream]))
        yield SimpleNamespace(
            app_port=app_port,
            http_port=http_port,
            https_port=https_port,
            tls=tls,
            jar=jar,
            spare=spare,
            database=tmp_path / "proxy.sqlite3",
        )
    assert "Traceback" not in log.read_text()


def batches_of(database, culture_pk) -> int:
    with sqlite3.connect(database) as connection:
        query = "SELECT COUNT(*) FROM batches_batch WHERE culture_id = ?"
        return connection.execute(query, [culture_pk]).fetchone()[0]


def cookie_attributes(headers, name) -> list[str]:
    """The attributes of the Set-Cookie header for ``name``, lower-cased."""
    for header in headers.get_all("Set-Cookie") or []:
        if header.startswith(f"{name}="):
            return [part.strip().lower() for part in header.split(";")[1:]]
    raise AssertionError(f"no {name} cookie was set: {headers.get_all('Set-Cookie')}")


def test_plain_http_is_sent_to_https(proxied):
    # Caddy's plain-HTTP port (80 at home) answers with a redirect to the same page
    # on HTTPS. (Caddy 2.6 writes no port into it: at home that is 443.)
    status, headers, _ = Browser(proxied.http_port).request("GET", "/history/?q=milk")
    assert status == 308
    assert headers["Location"] == "https://127.0.0.1/history/?q=milk"

    # The app asked over plain HTTP without the proxy's header sends the browser to
    # HTTPS too (SECURE_SSL_REDIRECT), rather than serving a page or a cookie.
    status, headers, _ = Browser(proxied.app_port).request("GET", "/account/sign-in/")
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{proxied.app_port}/account/sign-in/"
    assert not headers.get_all("Set-Cookie")


def test_cookies_are_secure_and_hsts_is_sent(proxied):
    browser = Browser(proxied.https_port, proxied.tls)
    status, headers, _ = browser.request("GET", "/account/sign-in/")
    assert status == 200
    assert headers["Strict-Transport-Security"] == HSTS
    assert "secure" in cookie_attributes(headers, "csrftoken")

    browser.request("GET", "/account/sign-in/")
    fields = {"username": USERNAME, "password": PASSWORD}
    status, headers, _ = browser.request("POST", "/account/sign-in/", fields)
    assert status == 302
    assert headers["Strict-Transport-Security"] == HSTS
    session = cookie_attributes(headers, "sessionid")
    assert {"secure", "httponly", "samesite=lax"} <= set(session)


def test_sign_in_and_start_a_batch_through_the_proxy(proxied):
    browser = Browser(proxied.https_port, proxied.tls)
    browser.sign_in(USERNAME, PASSWORD)

    status, headers, _ = browser.request("POST", f"/batches/start/{proxied.jar}/", START_FIELDS)
    assert status == 302, "the start was refused through the proxy"
    status, _, page = browser.request("GET", headers["Location"])
    assert status == 200
    assert b"Started batch 1 of Babushka in cow milk." in page
    assert batches_of(proxied.database, proxied.jar) == 1


def test_a_form_from_another_origin_is_refused(proxied):
    browser = Browser(proxied.https_port, proxied.tls)
    browser.sign_in(USERNAME, PASSWORD)
    start = f"/batches/start/{proxied.spare}/"

    for origin in ("https://evil.example", f"http://127.0.0.1:{proxied.https_port}"):
        headers = {"Origin": origin, "Referer": f"{origin}/"}
        status = browser.request("POST", start, START_FIELDS, headers=headers)[0]
        assert status == 403, f"a form from {origin} answered {status}"
    assert batches_of(proxied.database, proxied.spare) == 0


def test_the_proxy_decides_the_scheme_not_the_client(proxied):
    """Caddy replaces an X-Forwarded-Proto a client sends: over HTTPS, a client's
    "http" would otherwise make the app redirect to where it already is."""
    browser = Browser(proxied.https_port, proxied.tls)
    headers = {"X-Forwarded-Proto": "http"}
    status, _, _ = browser.request("GET", "/account/sign-in/", headers=headers)
    assert status == 200


def test_five_wrong_passwords_on_one_phone_pause_that_phone_only(proxied):
    """Every request reaches the app from Caddy's 127.0.0.1; sign-in throttling counts
    the address Caddy saw (here phones on 127.0.0.2 and 127.0.0.1), as it does without
    a proxy, and a phone cannot name another address to get out of it."""
    wrong = {"username": "piotr", "password": "wrong-password"}
    typing = Browser(proxied.https_port, proxied.tls, source="127.0.0.2")
    answers = []
    for _ in range(5):
        typing.request("GET", "/account/sign-in/")
        status, _, page = typing.request("POST", "/account/sign-in/", wrong)
        answers.append((status, b"Too many failed sign-ins" in page))
    assert answers == [(200, False)] * 4 + [(429, True)]

    right = {"username": "piotr", "password": PASSWORD}
    elsewhere = {"X-Forwarded-For": "10.9.9.9"}
    status = typing.request("POST", "/account/sign-in/", right, headers=elsewhere)[0]
    assert status == 429

    Browser(proxied.https_port, proxied.tls, source="127.0.0.1").sign_in("piotr", PASSWORD)

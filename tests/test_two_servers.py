"""Two app servers on one PostgreSQL database behave as one (a proxy's two upstreams).

Two gunicorns, each with a DATA_DIR of its own as two machines would have, the
same SECRET_KEY and the test's PostgreSQL database, are addressed directly, so
each request goes to the server the test chooses. Signing out on one ends the
session on the other, and a form posted there with the old cookie stores
nothing; five wrong passwords spread over both lock the username out on both.
"""

import time

import pytest
from django.db import connection

from kefir_tracker.batches.models import Batch
from tests.commands import manage
from tests.factories import make_culture, make_user
from tests.servers import Phone, gunicorn, settings_for, static_files_are_stale

pytestmark = pytest.mark.slow

PASSWORD = "a-long-kitchen-password-2026"
START_FIELDS = {"base": "cow", "volume_ml": "500", "grains_in_g": "25"}
DEADLINE_S = 120


def database_url() -> str:
    """The URL of the test's own PostgreSQL database, which the servers share."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def servers(transactional_db, tmp_path, settings):
    """Two servers on one database, and a user with grains (hashed as the servers hash)."""
    if connection.vendor != "postgresql":
        pytest.skip("two app servers share a PostgreSQL database (DATABASE_URL=postgres://…)")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = make_user("olga")
    user.set_password(PASSWORD)
    user.save()
    culture = make_culture(user, "Babushka")

    env = {
        **settings_for(tmp_path / "unused.sqlite3", "two-servers"),
        "DATABASE_URL": database_url(),
    }
    if static_files_are_stale():
        result = manage(tmp_path, "collectstatic", "--no-input", "-v0", **env)
        assert result.returncode == 0, result.stderr
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        gunicorn(tmp_path / "a", env, workers=1) as (port_a, log_a),
        gunicorn(tmp_path / "b", env, workers=1) as (port_b, log_b),
    ):
        deadline = time.monotonic() + DEADLINE_S
        yield Phone(port_a, deadline), Phone(port_b, deadline), culture
    for log in (log_a, log_b):
        assert "Traceback" not in log.read_text()


def test_signing_out_on_one_server_ends_the_session_on_the_other(servers):
    on_a, on_b, culture = servers
    start = f"/batches/start/{culture.pk}/"
    on_a.sign_in("olga", PASSWORD)
    on_b.cookies = dict(on_a.cookies)  # the same phone, its next request sent to B

    status, location, _ = on_b.request("GET", "/")
    assert (status, location) == (200, None), "the session is not known on B"
    status, _ = on_b.post_and_follow(start, START_FIELDS)
    assert status == 302
    assert Batch.objects.filter(culture=culture).count() == 1

    cookies_before = dict(on_a.cookies)
    status, _ = on_a.post_and_follow("/account/sign-out/", {})
    assert status == 302
    on_b.cookies = cookies_before  # the old cookie, kept by another tab or a copy

    status, location, _ = on_b.request("GET", "/")
    assert status == 302
    assert location.startswith("/account/sign-in/")
    status, location, _ = on_b.request("POST", start, {**START_FIELDS, "notes": "after"})
    assert status == 302
    assert location.startswith("/account/sign-in/")
    assert Batch.objects.filter(culture=culture).count() == 1


def test_five_failed_sign_ins_spread_over_both_servers_lock_out_on_both(servers):
    on_a, on_b, _ = servers
    answers = []
    for phone in (on_a, on_a, on_a, on_b, on_b):
        phone.request("GET", "/account/sign-in/")
        fields = {"username": "olga", "password": "wrong-password"}
        status, _, page = phone.request("POST", "/account/sign-in/", fields)
        answers.append((status, b"Too many failed sign-ins" in page))
    # The fifth failure, the second on B, is the one that locks the username out.
    assert answers == [(200, False)] * 4 + [(429, True)]

    for phone in (on_a, on_b):
        fields = {"username": "olga", "password": PASSWORD}
        status, _, page = phone.request("POST", "/account/sign-in/", fields)
        assert status == 429
        assert b"Too many failed sign-ins" in page
        assert "sessionid" not in phone.cookies

import os

import pytest
from django.db import connection

from tests.browser import sign_in_through_the_form
from tests.factories import PASSWORD, make_culture, make_user

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s per user; tests are about behaviour, not hash strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner(db):
    return make_user("olga")


@pytest.fixture
def other_user(db):
    return make_user("mallory")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def other_client(client, other_user):
    client.force_login(other_user)
    return client


@pytest.fixture
def culture(owner):
    return make_culture(owner, "Babushka")


@pytest.fixture
def password():
    return PASSWORD


# ---- browser tests (pytest-playwright, Debian's Chromium) ----


@pytest.fixture(autouse=True, scope="session")
def no_database_session_outlives_the_tests(django_db_setup, django_db_blocker):
    """The live server answers each browser connection in a thread of its own, which
    holds a database connection for as long as Chromium keeps the socket alive. On
    PostgreSQL such a session, still open when the tests end, stopped the test
    database from being dropped ("is being accessed by other users")."""
    yield
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM_PATH, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": PHONE,
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    }


@pytest.fixture
def signed_in_page(page, live_server, owner):
    """A phone-sized page signed in as ``owner`` through the real sign-in form."""
    return sign_in_through_the_form(page, live_server, owner)

"""400, 403, 404 and 500 are the app's own pages, with a way home; error reports never
show the database's password."""

import logging
import sys

import pytest
from django.test import Client
from django.views.debug import ExceptionReporter

from tests.error_urls import JarBroke

DATABASE_URL = "postgres://kefir:hunter2-in-the-url@db.lan:5432/kefir"


def assert_app_page(response, status, heading):
    assert response.status_code == status
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert 'href="/static/css/' in page  # the app's look
    assert '<a class="button" href="/">Go to Today</a>' in page
    assert "Django" not in page


def test_a_page_that_does_not_exist_is_the_apps_404(client, db):
    assert_app_page(client.get("/no-such-page/"), 404, "Nothing here")


def test_someone_elses_batch_is_the_apps_404_with_the_tab_bar(other_client, culture):
    response = other_client.get(f"/grains/{culture.pk}/")
    assert_app_page(response, 404, "Nothing here")
    assert 'class="tab-bar"' in response.text  # still at home in the app


def test_a_host_the_app_does_not_answer_to_is_the_apps_400(client, db, settings):
    settings.ALLOWED_HOSTS = ["kefir.lan"]
    response = client.get("/account/sign-in/", HTTP_HOST="evil.example")
    assert_app_page(response, 400, "This address did not work")


def test_a_form_sent_without_its_csrf_token_is_the_apps_403(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/account/sign-in/", {"username": "olga", "password": "x"})
    assert_app_page(response, 403, "That form had expired")
    assert "Nothing was saved" in response.text


@pytest.mark.urls("tests.error_urls")
def test_permission_denied_is_the_apps_403(client, db):
    assert_app_page(client.get("/test/forbidden/"), 403, "Not allowed")


@pytest.mark.urls("tests.error_urls")
def test_a_crash_is_the_apps_500_which_reads_nothing_from_the_database(
    db, django_assert_num_queries
):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/test/broken/")
    assert_app_page(response, 500, "Something went wrong")
    assert "the jar broke" not in response.text


@pytest.mark.urls("tests.error_urls")
@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_the_debug_page_hides_database_url_and_the_database_password(db, settings):
    settings.DEBUG = True
    settings.DATABASE_URL = DATABASE_URL
    settings.DATABASES = {
        **settings.DATABASES,
        "reports": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": "hunter2-in-dbs"},
    }
    client = Client(raise_request_exception=False)
    # The development server puts the whole environment in every request's META.
    response = client.get("/test/broken/", DATABASE_URL=DATABASE_URL)
    page = response.content.decode()
    assert response.status_code == 500
    assert "JarBroke" in page  # it is Django's technical page, settings and all
    assert "DATABASE_URL" in page
    assert "hunter2" not in page


@pytest.mark.urls("tests.error_urls")
def test_logged_and_mailed_error_reports_hide_database_url(db, settings, rf, caplog):
    settings.DATABASE_URL = DATABASE_URL
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        client.get("/test/broken/", DATABASE_URL=DATABASE_URL)
    logged = "\n".join(caplog.messages + [r.exc_text or "" for r in caplog.records])
    assert "Internal Server Error: /test/broken/" in logged
    assert "hunter2" not in logged
    # What AdminEmailHandler would mail: the text report, with settings and META.
    request = rf.get("/test/broken/", DATABASE_URL=DATABASE_URL)
    try:
        raise JarBroke("the jar broke")
    except JarBroke:
        report = ExceptionReporter(request, *sys.exc_info()).get_traceback_text()
    assert "DATABASE_URL" in report
    assert "hunter2" not in report

"""Every query string the app reads (History's filters and cursor, a culture's batch pages)
and junk on pages that read none: a page or a 400 with a message, never a 500."""

import pytest
from django.urls import reverse

from kefir_tracker.batches.forms import HistoryFilterForm
from tests.bad_input import HUGE_TEXT, IMG, SCRIPT, VALUES, kind_of, must_refuse
from tests.factories import make_batch, make_culture

HTMX = {"HTTP_HX_REQUEST": "true"}
CURSORS = [
    "",
    "abc",
    "-1",
    "0-0",
    "1-",
    "-",
    "--",
    "1--1",
    "1-99999999999999999999999",  # an id far beyond any integer column
    "99999999999999999999-1",  # a time far beyond year 9999
    "9" * 39 + "-1",
    "1.5-2",
    "1e308-1",
    "١٢٣-٤",  # Arabic-Indic digits
    "²-1",  # a digit to str.isdigit(), not to int()
    "1-²",
    SCRIPT,
    IMG,
    HUGE_TEXT,
]
# Cursors this app could have made: an empty page (or the first), not an error.
WELL_FORMED = {"", "0-0", "1-99999999999999999999999"}


@pytest.fixture
def batches(owner):
    culture = make_culture(owner, "Babushka")
    return [make_batch(culture, notes=f"batch {n}") for n in range(3)]


def fetch(client, url, params, headers):
    try:
        return client.get(url, params, **headers)
    except Exception as error:  # the test client re-raises what would be a 500
        pytest.fail(f"{url} {str(params)[:80]}: server error {error!r}")


def history_params():
    form = HistoryFilterForm(user=None)
    for name, field in form.fields.items():
        if name == "cursor":
            yield from ((name, value, value not in WELL_FORMED) for value in CURSORS)
        else:
            kind = kind_of(field)
            yield from ((name, value, must_refuse(field, value)) for value in VALUES[kind])


def test_every_history_filter_answers_bad_values_with_a_page_or_a_400(owner_client, batches):
    url = reverse("batches:history")
    failures = []
    for name, value, refuse in history_params():
        for headers in ({}, HTMX):
            response = fetch(owner_client, url, {name: value}, headers)
            label = f"{name}={value[:40]!r}{' (htmx)' if headers else ''}"
            if response.status_code not in (200, 400):
                failures.append(f"{label}: status {response.status_code}")
            elif refuse and response.status_code != 400:
                failures.append(f"{label}: shown as a list, should be a 400")
            elif response.status_code == 400 and "This list cannot be shown" not in response.text:
                failures.append(f"{label}: a 400 that does not say why")
            if SCRIPT.encode() in response.content or b"<img src=x" in response.content:
                failures.append(f"{label}: the value is echoed unescaped")
    assert not failures, "\n".join(failures)


def test_a_search_for_markup_is_shown_escaped_in_the_search_box(owner_client, batches):
    response = owner_client.get(reverse("batches:history"), {"q": IMG})
    assert response.status_code == 200
    assert 'value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in response.text
    assert IMG not in response.text


def test_every_culture_batch_page_cursor_answers_with_a_page_or_a_400(owner_client, batches):
    url = batches[0].culture.get_absolute_url()
    failures = []
    for value in CURSORS:
        for headers in ({}, HTMX):
            response = fetch(owner_client, url, {"cursor": value}, headers)
            label = f"cursor={value[:40]!r}{' (htmx)' if headers else ''}"
            if response.status_code not in (200, 400):
                failures.append(f"{label}: status {response.status_code}")
            if SCRIPT.encode() in response.content:
                failures.append(f"{label}: the value is echoed unescaped")
    assert not failures, "\n".join(failures)


def test_the_start_and_form_openers_answer_junk_with_a_page_or_a_not_found(owner_client, batches):
    culture, batch = batches[0].culture, batches[0]
    junk = ["", "0", "-1", str(10**30), "9" * 19, "1e308", "١٢٣", "²", "bogus", SCRIPT, HUGE_TEXT]
    targets = [
        (reverse("batches:today"), "start"),
        (culture.get_absolute_url(), "form"),
        (batch.get_absolute_url(), "form"),
    ]
    failures = []
    for url, name in targets:
        for value in junk:
            for headers in ({}, HTMX):
                response = fetch(owner_client, url, {name: value}, headers)
                label = f"{url}?{name}={value[:40]!r}{' (htmx)' if headers else ''}"
                if response.status_code not in (200, 400, 404):
                    failures.append(f"{label}: status {response.status_code}")
                if SCRIPT.encode() in response.content:
                    failures.append(f"{label}: the value is echoed unescaped")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "name",
    [
        "batches:today",
        "grains:list",
        "grains:lineage",
        "accounts:account",
        "archive:your_data",
        "insights:insights",
    ],
)
def test_pages_without_a_query_string_ignore_one(owner_client, batches, name):
    junk = {"cursor": SCRIPT, "page": "-1", "q": HUGE_TEXT, "culture": str(10**30)}
    response = owner_client.get(reverse(name), junk)
    assert response.status_code == 200
    assert SCRIPT not in response.text


def test_a_batch_page_ignores_a_query_string(owner_client, batches):
    response = owner_client.get(batches[0].get_absolute_url(), {"cursor": "1-" + "9" * 30})
    assert response.status_code == 200

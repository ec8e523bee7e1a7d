"""Markup typed into every text field, through the forms, is shown as text on every page
that displays it (Today, History, the batch, the grains list, the culture page, the
lineage overview), and comes out of the CSV export exactly as typed."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch
from kefir_tracker.grains.models import Culture
from tests.bad_input import EMOJI, IMG, RTL, SCRIPT

HTMX = {"HTTP_HX_REQUEST": "true"}
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMG = "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"  # as Jinja2 (MarkupSafe) escapes it
NOTES = f"{SCRIPT} {IMG} {EMOJI} {RTL}"


def posted(client, url, data, status=302):
    response = client.post(url, data)
    assert response.status_code == status, response.content[:2000]
    return response


def earlier(hours):
    return timezone.localtime(timezone.now() - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def marked_up(owner_client):
    """Grains named with a script, split into a child named with an <img>, two batches
    (one strained, bottled and tasted, one discarded, one fermenting), every text field
    holding markup."""
    client = owner_client
    today = timezone.localdate().isoformat()
    posted(
        client,
        reverse("grains:create"),
        {
            "name": SCRIPT,
            "kind": "milk",
            "origin": "gift",
            "source": IMG,
            "acquired_on": today,
            "notes": NOTES,
        },
    )
    root = Culture.objects.get(name=SCRIPT)
    posted(client, reverse("grains:weigh", args=[root.pk]), {"grams": "100"})
    posted(
        client,
        reverse("grains:split", args=[root.pk]),
        {"total_g": "100", "name_1": IMG, "grams_1": "30", "name_2": "Plain", "grams_2": "30"},
    )
    plain = Culture.objects.get(name="Plain")
    posted(client, reverse("grains:give_away", args=[plain.pk]), {"given_to": SCRIPT})

    start = reverse("batches:start", args=[root.pk])
    milk = {"base": "cow", "volume_ml": "500", "grains_in_g": "25"}
    posted(client, start, {**milk, "started_at": earlier(30), "notes": NOTES})
    tasted = Batch.objects.latest("pk")
    posted(client, reverse("batches:strain", args=[tasted.pk]), {"strained_at": earlier(8)})
    posted(
        client,
        reverse("batches:bottle", args=[tasted.pk]),
        {"bottled_at": earlier(6), "flavourings": IMG},
    )
    posted(client, reverse("batches:taste", args=[tasted.pk]), {"rating": "5", "notes": NOTES})
    posted(client, start, {**milk, "started_at": earlier(28)})
    discarded = Batch.objects.latest("pk")
    posted(client, reverse("batches:discard", args=[discarded.pk]), {"reason": IMG})
    posted(client, start, {**milk, "notes": SCRIPT})
    return root, tasted, discarded


def assert_shown_escaped(response, *escaped):
    assert response.status_code == 200
    text = response.text
    assert SCRIPT not in text, f"raw <script> on {response.request['PATH_INFO']}"
    assert "<img src=x" not in text, f"raw <img> on {response.request['PATH_INFO']}"
    for expected in escaped:
        assert expected in text, f"{expected} not on {response.request['PATH_INFO']}"


def test_markup_in_names_and_notes_is_shown_as_text_on_every_page(owner_client, marked_up):
    root, tasted, discarded = marked_up
    pages = {
        reverse("batches:today"): [ESCAPED_SCRIPT],
        reverse("batches:history"): [ESCAPED_SCRIPT],
        f"{reverse('batches:history')}?q=onerror": [ESCAPED_SCRIPT],
        tasted.get_absolute_url(): [ESCAPED_SCRIPT, ESCAPED_IMG, EMOJI, RTL],
        discarded.get_absolute_url(): [ESCAPED_SCRIPT, ESCAPED_IMG],
        reverse("grains:list"): [ESCAPED_SCRIPT, ESCAPED_IMG],
        root.get_absolute_url(): [ESCAPED_SCRIPT, ESCAPED_IMG, EMOJI, RTL],
        reverse("grains:lineage"): [ESCAPED_SCRIPT, ESCAPED_IMG],
        reverse("insights:insights"): [ESCAPED_SCRIPT],
    }
    for url, escaped in pages.items():
        assert_shown_escaped(owner_client.get(url), *escaped)
        assert_shown_escaped(owner_client.get(url, **HTMX))


def test_markup_is_escaped_in_the_fragments_htmx_swaps_in(owner_client, marked_up):
    root, _, _ = marked_up
    fermenting = Batch.objects.get(strained_at__isnull=True, discarded=False)
    today = reverse("batches:today")
    response = owner_client.post(
        reverse("batches:strain", args=[fermenting.pk]),
        {"next": today},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=f"batch-{fermenting.pk}",
    )
    assert_shown_escaped(response, ESCAPED_SCRIPT)
    response = owner_client.post(
        reverse("grains:give_away", args=[root.pk]), {"given_to": IMG}, **HTMX
    )
    assert_shown_escaped(response, ESCAPED_SCRIPT, ESCAPED_IMG)


def test_the_csv_holds_the_text_exactly_as_typed(owner_client, marked_up):
    response = owner_client.get(reverse("archive:export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert {row["grains"] for row in rows} == {SCRIPT}
    assert NOTES in {row["notes"] for row in rows}
    assert IMG in {row["flavourings"] for row in rows}
    assert IMG in {row["discard_reason"] for row in rows}


def test_the_json_export_is_served_as_json_not_html(owner_client, marked_up):
    response = owner_client.get(reverse("archive:export_json"))
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert SCRIPT in {c["name"] for c in json.loads(response.content)["cultures"]}


def test_markup_in_an_import_problem_is_shown_as_text(owner_client):
    raw = json.dumps({"format": "kefir-tracker", "version": 1, "cultures": [{SCRIPT: 1}]})
    upload = SimpleUploadedFile(f"{IMG}.json", raw.encode())
    response = owner_client.post(reverse("archive:your_data"), {"file": upload})
    assert_shown_escaped(response, ESCAPED_SCRIPT)
    assert "Nothing was imported" in response.text

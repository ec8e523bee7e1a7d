"""The app can be added to a phone's home screen, and every page says what it is."""

import json

import pytest
from django.templatetags.static import static
from django.urls import reverse

from tests.factories import make_batch


def test_the_manifest_is_served_with_name_start_url_and_icons(client, db):
    response = client.get(static("manifest.webmanifest"))
    assert response.status_code == 200
    manifest = json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert manifest["name"] == "Kefir Tracker"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200, icon["src"]


def test_every_page_links_the_manifest(owner_client):
    page = owner_client.get(reverse("batches:today")).content.decode()
    assert f'<link rel="manifest" href="{static("manifest.webmanifest")}">' in page


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("batches:today", "Today"),
        ("batches:history", "History"),
        ("batches:detail", "Batch 1 of Babushka"),
        ("batches:delete", "Delete batch 1 of Babushka"),
    ],
)
def test_each_page_has_its_own_title(owner_client, culture, name, title):
    batch = make_batch(culture)
    args = [batch.pk] if name in ("batches:detail", "batches:delete") else []
    page = owner_client.get(reverse(name, args=args)).content.decode()
    assert f"<title>{title} · Kefir Tracker</title>" in page

"""Caching and embedding headers: a signed-in person's pages are private, no-cache
(Back still works), exports are no-store, and no other site may embed anything."""

import pytest
from django.templatetags.static import static
from django.urls import reverse


@pytest.mark.parametrize("name", ["batches:today", "batches:history", "grains:list"])
def test_signed_in_pages_are_private_and_asked_for_again(owner_client, name):
    response = owner_client.get(reverse(name))
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"private", "no-cache"}


@pytest.mark.parametrize("name", ["archive:export_json", "archive:export_csv"])
def test_exports_are_kept_by_no_cache_at_all(owner_client, culture, name):
    response = owner_client.get(reverse(name))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "no-store" in directives
    assert "public" not in directives


@pytest.mark.parametrize(
    "path", ["/", "/account/sign-in/", "/no-such-page/", static("manifest.webmanifest")]
)
def test_nothing_may_be_embedded_by_another_site(client, owner, path):
    response = client.get(path)
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_a_signed_in_page_is_not_embeddable_either(owner_client):
    response = owner_client.get(reverse("batches:today"))
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_the_manifest_is_served_as_a_web_app_manifest(client, db):
    response = client.get(static("manifest.webmanifest"))
    assert response["Content-Type"] == "application/manifest+json"

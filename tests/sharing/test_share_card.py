"""The owner's share card, on the grains page (htmx) and on a page of its own (no
JavaScript): make a link (shown once), the links that work now, turn one off; bad input
refused in place; nobody else's grains."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.sharing.models import ShareLink
from tests.factories import make_culture, make_user
from tests.sharing.helpers import HTMX, LINK, make_share_link, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def culture(owner):
    return make_culture(owner, "Babushka")


def card_text(response):
    return text(response.text.split('id="share"', 1)[1])


def test_the_grains_page_folds_the_card_in_near_the_lineage(owner_client, culture):
    page = owner_client.get(culture.get_absolute_url()).text
    manage = reverse("sharing:manage", args=[culture.pk])

    lineage, share, weight = (
        page.index(s) for s in ('id="lineage-title"', 'id="share-action"', 'id="weight-title"')
    )
    assert lineage < share < weight
    assert "Share this family tree" in page
    assert f'href="{manage}"' in page
    assert f'data-hx-get="{manage}"' in page


def test_the_card_alone_for_htmx_and_a_page_without(owner_client, culture):
    url = reverse("sharing:manage", args=[culture.pk])
    fragment = owner_client.get(url, **HTMX)
    page = owner_client.get(url)

    assert "<html" not in fragment.text
    assert 'id="share"' in fragment.text
    assert "<html" in page.text
    assert '<h2 id="share-title">Share this family tree</h2>' in page.text
    assert "HX-Request" in page["Vary"]
    assert "None: nobody can see this family tree." in card_text(page)


def test_a_link_made_without_javascript_is_shown_once_then_listed(owner_client, culture):
    response = owner_client.post(
        reverse("sharing:create", args=[culture.pk]), {"expires": "never", "label": " Masha "}
    )

    assert response.status_code == 302
    link = ShareLink.objects.get()
    assert (link.owner, link.culture, link.label, link.expires_at, link.include_batches) == (
        culture.owner,
        culture,
        "Masha",
        None,
        False,
    )
    page = owner_client.get(response.url)
    assert "Made a share link. Copy it now: it is shown only this once." in page.text
    assert LINK.search(page.text)
    assert "no-store" in page["Cache-Control"]
    again = owner_client.get(response.url)
    assert not LINK.search(again.text)
    assert re.search(r"Masha made .+ · never expires", card_text(again))


def test_a_link_made_with_htmx_comes_in_the_card_with_the_news(owner_client, culture):
    response = owner_client.post(
        reverse("sharing:create", args=[culture.pk]),
        {"expires": "30", "include_batches": "on"},
        **HTMX,
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert LINK.search(response.text)
    assert "shown only this once" in response["HX-Trigger-After-Settle"]
    assert "no-store" in response["Cache-Control"]
    link = ShareLink.objects.get()
    assert link.include_batches
    assert timedelta(days=30) - (link.expires_at - timezone.now()) < timedelta(minutes=1)
    assert re.search(r"Share link made .+ · until .+ · with batches", card_text(response))


def test_a_choice_that_is_not_offered_is_refused_next_to_the_field(owner_client, culture):
    for headers in ({}, HTMX):
        response = owner_client.post(
            reverse("sharing:create", args=[culture.pk]),
            {"expires": "forever", "label": "For Anna"},
            **headers,
        )
        assert response.status_code == 200
        assert "Choose how long the link works." in response.text
        assert 'value="For Anna"' in response.text
    assert not ShareLink.objects.exists()


def test_a_label_too_long_is_refused(owner_client, culture):
    response = owner_client.post(
        reverse("sharing:create", args=[culture.pk]), {"expires": "7", "label": "x" * 81}, **HTMX
    )

    assert "Ensure this value has at most 80 characters" in response.text
    assert not ShareLink.objects.exists()


def test_turning_a_link_off_takes_it_off_the_list(owner_client, culture):
    keep = make_share_link(owner_client, culture, label="Anna")
    make_share_link(owner_client, culture, label="Masha")
    masha = ShareLink.objects.get(label="Masha")

    response = owner_client.post(reverse("sharing:revoke", args=[masha.pk]), **HTMX)

    masha.refresh_from_db()
    assert masha.revoked_at is not None
    assert "Turned off the link: it opens nothing now." in response["HX-Trigger-After-Settle"]
    assert "Masha" not in card_text(response)
    assert "Anna" in card_text(response)
    assert owner_client.get(keep).status_code == 200


def test_turning_off_without_javascript_goes_back_to_the_card(owner_client, culture):
    make_share_link(owner_client, culture)
    link = ShareLink.objects.get()

    response = owner_client.post(reverse("sharing:revoke", args=[link.pk]))
    again = owner_client.post(reverse("sharing:revoke", args=[link.pk]))

    assert response.url == reverse("sharing:manage", args=[culture.pk])
    page = owner_client.get(again.url)
    assert "That link was already off." in page.text
    assert "None: nobody can see this family tree." in card_text(page)


def test_an_expired_link_is_not_listed_as_working(owner_client, culture):
    make_share_link(owner_client, culture, label="Short", expires="7")
    ShareLink.objects.update(
        created_at=timezone.now() - timedelta(days=8), expires_at=timezone.now() - timedelta(days=1)
    )

    page = owner_client.get(reverse("sharing:manage", args=[culture.pk]))

    assert "Short" not in card_text(page)


def test_each_grains_card_lists_its_own_links(owner, owner_client, culture):
    other = make_culture(owner, "Highland")
    make_share_link(owner_client, other, label="Tom")

    page = owner_client.get(reverse("sharing:manage", args=[culture.pk]))

    assert "Tom" not in card_text(page)


def test_nobody_else_can_see_make_or_turn_off_links_to_your_grains(
    client, owner, other_user, culture
):
    client.force_login(owner)
    path = make_share_link(client, culture, label="Anna")
    link = ShareLink.objects.get()
    client.force_login(other_user)

    answers = [
        client.get(reverse("sharing:manage", args=[culture.pk])).status_code,
        client.post(reverse("sharing:create", args=[culture.pk]), {"expires": "never"}).status_code,
        client.post(reverse("sharing:revoke", args=[link.pk]), **HTMX).status_code,
        client.post(reverse("sharing:revoke", args=[link.pk])).status_code,
    ]

    assert answers == [404] * 4
    assert ShareLink.objects.count() == 1
    link.refresh_from_db()
    assert link.revoked_at is None
    assert client.get(path).status_code == 200


def test_each_lineage_of_the_overview_can_be_shared_from_its_first_grains(owner, owner_client):
    root = make_culture(owner, "Babushka")
    make_culture(owner, "Babushka II", parent=root, origin="split")
    highland = make_culture(owner, "Highland")

    page = owner_client.get(reverse("grains:lineage")).text

    shares = re.findall(
        r'href="(/grains/\d+/share/)">Share<span class="visually-hidden"> the ([^<]+) lineage', page
    )
    assert shares == [
        (reverse("sharing:manage", args=[root.pk]), "Babushka"),
        (reverse("sharing:manage", args=[highland.pk]), "Highland"),
    ]


def test_the_admin_lists_links_without_their_tokens(client, owner, culture):
    client.force_login(owner)
    path = make_share_link(client, culture, label="Anna")
    client.force_login(make_user("root", is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:sharing_sharelink_changelist"), {"q": "Anna"})

    assert listing.status_code == 200
    assert "Babushka" in listing.text
    assert path.split("/")[2] not in listing.text

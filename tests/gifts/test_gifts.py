"""A gift from the giver's grains page to another account: what each side sees, that a
gift opens once, and that cutting the link leaves both sides' grains as they were."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch
from kefir_tracker.gifts.models import Gift
from kefir_tracker.grains.models import Culture, Origin, Status
from tests.factories import make_culture
from tests.gifts.helpers import (
    GIVER_EMAIL,
    GIVER_LOGIN,
    PRIVATE_WEIGHT,
    accept,
    give_as_gift,
    make_gift_link,
    page_text,
    recipient_user,
)
from tests.labels.helpers import decode_qr
from tests.sharing.helpers import PRIVATE, text

NOT_FOUND = "This gift opens nothing"


def received(recipient) -> Culture:
    return Culture.objects.for_user(recipient).get(origin=Origin.GIFT)


def recipient_pages(recipient, culture):
    return [
        reverse("grains:list"),
        culture.get_absolute_url(),
        reverse("grains:lineage"),
        reverse("batches:today"),
        reverse("batches:history"),
        reverse("insights:insights"),
        reverse("gifts:receive"),
    ]


def test_accepted_gift_shows_the_givers_ancestors_and_nothing_else_of_theirs(
    giver_client, kin, recipient, recipient_client
):
    path, _, _, _ = give_as_gift(giver_client, kin.third)
    offer = page_text(recipient_client, path)
    assert "Olga gives you Little B" in offer
    assert "Milk kefir grains" in offer

    response = accept(recipient_client, path)
    culture = received(recipient)
    assert response.redirect_chain[-1][0] == culture.get_absolute_url()
    assert culture.name == "Little B"
    assert culture.origin == Origin.GIFT
    assert culture.acquired_on == timezone.localdate()
    assert culture.origin_description == "gift from Olga"

    page = page_text(recipient_client, culture.get_absolute_url())
    assert "Before they came to you" in page
    assert "A gift from Olga" in page
    assert "Babushka generation 0 · gift from Grandma Vera" in page
    assert "Babushka II generation 1 · split from other grains" in page
    assert "Little B generation 2 · given to you" in page
    for url in recipient_pages(recipient, culture):
        seen = page_text(recipient_client, url)
        for private in [*PRIVATE.values(), GIVER_LOGIN, GIVER_EMAIL, PRIVATE_WEIGHT]:
            assert private not in seen, (url, private)
        assert "Highland" not in seen
        assert "Tibicos" not in seen
    # Nothing of the giver's came over but the new grains and their story.
    assert Batch.objects.for_user(recipient).count() == 0
    assert Culture.objects.for_user(recipient).count() == 1


def test_the_ancestors_stay_as_they_were_when_accepted(
    giver_client, giver, kin, recipient, recipient_client
):
    path, *_ = give_as_gift(giver_client, kin.third)
    accept(recipient_client, path)
    giver_client.post(
        reverse("grains:edit", args=[kin.root.pk]),
        {
            "name": "Renamed-root-77",
            "kind": "milk",
            "origin": "bought",
            "acquired_on": "2024-01-01",
        },
    )
    assert Culture.objects.get(pk=kin.root.pk).name == "Renamed-root-77"
    page = page_text(recipient_client, received(recipient).get_absolute_url())
    assert "Babushka generation 0 · gift from Grandma Vera" in page
    assert "Renamed-root-77" not in page


def test_without_the_ancestors_the_recipient_sees_none(
    giver_client, kin, recipient, recipient_client
):
    path, *_ = give_as_gift(giver_client, kin.third, share_ancestry=False)
    assert "grains they came from" not in page_text(recipient_client, path)
    accept(recipient_client, path)
    culture = received(recipient)
    for url in recipient_pages(recipient, culture):
        seen = page_text(recipient_client, url)
        assert "Babushka" not in seen, url
        assert "Grandma Vera" not in seen, url
    assert "Olga kept their ancestors to themselves" in page_text(
        recipient_client, culture.get_absolute_url()
    )


@pytest.mark.parametrize("share_growth", [True, False])
def test_the_giver_sees_what_the_recipient_grows_only_if_allowed(
    giver_client, kin, recipient, recipient_client, share_growth
):
    path, *_ = give_as_gift(giver_client, kin.third, given_to="Masha")
    accept(recipient_client, path, share_growth=share_growth)
    culture = received(recipient)
    child = make_culture(recipient, "Masha-split-31", parent=culture, origin=Origin.SPLIT)
    make_culture(recipient, "Masha-grandchild-32", parent=child, origin=Origin.SPLIT)
    make_culture(recipient, "Masha-other-33")  # not from the gift

    page = page_text(giver_client, kin.third.get_absolute_url())
    accepted_on = timezone.localdate().day
    assert f"Given to Masha (accepted {accepted_on} " in page
    assert ("Masha-split-31" in page) is share_growth
    assert ("Masha-grandchild-32 generation 2 there" in page) is share_growth
    assert ("2 generations of splits" in page) is share_growth
    assert "Masha-other-33" not in page
    if not share_growth:
        assert "Masha keeps what they grow from them to themselves" in page


@pytest.mark.parametrize("side", ["giver", "recipient"])
def test_cutting_the_link_leaves_both_sides_data_and_stops_the_growth_view(
    giver_client, giver, kin, recipient, recipient_client, side
):
    path, *_ = give_as_gift(giver_client, kin.third)
    accept(recipient_client, path, share_growth=True)
    culture = received(recipient)
    make_culture(recipient, "Masha-split-31", parent=culture, origin=Origin.SPLIT)
    assert "Masha-split-31" in page_text(giver_client, kin.third.get_absolute_url())
    giver_cultures = sorted(Culture.objects.for_user(giver).values_list("name", "status"))
    giver_batches = Batch.objects.for_user(giver).count()

    gift = Gift.objects.get()
    cutter = giver_client if side == "giver" else recipient_client
    response = cutter.post(reverse("gifts:cut", args=[gift.pk]), follow=True)
    assert "Cut the gift link" in text(response.text)

    giver_page = page_text(giver_client, kin.third.get_absolute_url())
    assert "Masha-split-31" not in giver_page
    assert "Given to Masha" in giver_page
    assert "link cut" in giver_page
    assert "Cut the link" not in giver_page
    recipient_page = page_text(recipient_client, culture.get_absolute_url())
    assert "Babushka generation 0 · gift from Grandma Vera" in recipient_page
    assert "Masha-split-31" in recipient_page
    assert "The link to Olga was cut" in recipient_page
    assert sorted(Culture.objects.for_user(giver).values_list("name", "status")) == giver_cultures
    assert Batch.objects.for_user(giver).count() == giver_batches
    assert set(Culture.objects.for_user(recipient).values_list("name", flat=True)) == {
        "Little B",
        "Masha-split-31",
    }
    again = cutter.post(reverse("gifts:cut", args=[gift.pk]), follow=True)
    assert "already cut" in text(again.text)


def test_a_gift_opens_once(giver_client, kin, recipient_client, client):
    path, code, *_ = give_as_gift(giver_client, kin.third)
    accept(recipient_client, path)
    late = recipient_user("late")
    client.force_login(late)
    for url in (path, reverse("gifts:open", args=[code])):
        assert NOT_FOUND in client.get(url).text
        response = accept(client, url, name="Little B")
        assert response.status_code == 404
        assert NOT_FOUND in response.text
    assert not Culture.objects.for_user(late).exists()


def test_the_code_opens_the_gift_as_the_link_does(giver_client, kin, recipient, recipient_client):
    _, code, *_ = give_as_gift(giver_client, kin.third)
    typed = code.lower().replace("-", " ")
    response = recipient_client.post(reverse("gifts:receive"), {"code": typed}, follow=True)
    assert "Olga gives you Little B" in text(response.text)
    accept(recipient_client, response.redirect_chain[-1][0])
    assert received(recipient).name == "Little B"


def test_a_mistyped_code_is_told_next_to_the_field(recipient_client):
    response = recipient_client.post(reverse("gifts:receive"), {"code": "ABC<b>"})
    assert response.status_code == 200
    assert "That is not a gift code" in text(response.text)
    assert 'value="ABC&lt;b&gt;"' in response.text


def test_used_expired_cut_and_unknown_gifts_all_say_the_same(
    giver_client, kin, recipient_client, client
):
    answers = set()
    used, *_ = give_as_gift(giver_client, kin.third)
    accept(recipient_client, used)
    expired, *_ = make_gift_link(giver_client, kin.given)
    Gift.objects.filter(culture=kin.given).update(
        created_at=timezone.now() - timedelta(days=31), expires_at=timezone.now() - timedelta(1)
    )
    lost = make_culture(kin.root.owner, "Lost jar", status=Status.GIVEN_AWAY, given_to="Vera")
    cut, *_ = make_gift_link(giver_client, lost)
    giver_client.post(reverse("gifts:cut", args=[Gift.objects.get(culture=lost).pk]))
    unknown = "/gift/" + "A" * 43 + "/"
    client.force_login(recipient_user("late"))
    for path in (used, expired, cut, unknown, "/gift/nonsense/"):
        response = client.get(path)
        assert response.status_code == 404
        answers.add(response.text.split("<main", 1)[-1])
    assert len(answers) == 1
    assert NOT_FOUND in answers.pop()


def test_signed_out_the_link_leads_to_sign_in_and_back(giver_client, kin, client, password):
    path, *_ = give_as_gift(giver_client, kin.third)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "next=" in response.url
    sign_in = client.get(response.url).text
    assert f"sign-up/?next={path}" in sign_in
    recipient_user("masha")
    signed_in = client.post(
        reverse("accounts:login"),
        {"username": "masha", "password": password, "next": path},
        follow=True,
    )
    assert "Olga gives you Little B" in text(signed_in.text)


def test_sign_up_comes_back_to_the_gift(giver_client, kin, client, settings):
    settings.SIGNUP_ENABLED = True
    path, *_ = give_as_gift(giver_client, kin.third)
    form = client.get(f"{reverse('accounts:sign_up')}?next={path}").text
    assert f'name="next" value="{path}"' in form
    data = {"username": "newbie", "password1": "a-long-kitchen-pass-91", "next": path}
    data["password2"] = data["password1"]
    data["time_zone"] = "Europe/London"
    response = client.post(reverse("accounts:sign_up"), data)
    assert response.status_code == 302, text(response.text)[:400]
    assert response.url == path


def test_nobody_else_can_cut_or_download_a_gift(giver_client, kin, recipient_client, client):
    path, *_ = give_as_gift(giver_client, kin.third)
    gift = Gift.objects.get()
    client.force_login(recipient_user("stranger"))
    assert client.post(reverse("gifts:cut", args=[gift.pk])).status_code == 404
    assert client.get(reverse("gifts:download", args=[gift.pk])).status_code == 404
    assert recipient_client.get(reverse("gifts:download", args=[gift.pk])).status_code == 404
    assert Gift.objects.get().cut_at is None
    accept(recipient_client, path)
    assert client.post(reverse("gifts:cut", args=[gift.pk])).status_code == 404
    assert Gift.objects.get().cut_at is None


def test_the_giver_cannot_accept_their_own_gift(giver_client, giver, kin):
    path, *_ = give_as_gift(giver_client, kin.third)
    assert "This is your own gift" in page_text(giver_client, path)
    before = Culture.objects.for_user(giver).count()
    accept(giver_client, path, name="Mine again")
    assert Culture.objects.for_user(giver).count() == before
    assert Gift.objects.get().accepted_at is None


def test_a_taken_name_is_told_next_to_the_field_and_the_gift_stays_open(
    giver_client, kin, recipient, recipient_client
):
    make_culture(recipient, "Little B")
    path, *_ = give_as_gift(giver_client, kin.third)
    response = accept(recipient_client, path, name="little b")
    assert response.status_code == 200
    assert "You already have grains called little b" in text(response.text)
    assert Gift.objects.get().accepted_at is None
    accept(recipient_client, path, name="Olga's Little B")
    assert received(recipient).name == "Olga's Little B"


def test_the_qr_code_decodes_to_the_gift_link(giver_client, kin):
    path, _, svg, link = give_as_gift(giver_client, kin.third)
    assert decode_qr(svg) == link
    assert link == f"http://testserver{path}"
    assert "style" not in svg


def test_the_link_is_shown_once(giver_client, kin):
    give_as_gift(giver_client, kin.third)
    again = giver_client.get(kin.third.get_absolute_url()).text
    assert 'id="gift-link"' not in again
    assert "Waiting to be accepted" in text(again)

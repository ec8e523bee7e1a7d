"""A giver with a family of grains full of private things, gifts made and accepted as
people do it (the give-away form, the link the card shows), and pages read as text."""

import re
from html import unescape

from django.urls import reverse

from tests.factories import make_user
from tests.sharing.helpers import text

LINK = re.compile(r'id="gift-link" type="url" value="([^"]+)"')
CODE = re.compile(r'id="gift-code">([^<]+)<')
QR = re.compile(r'<div class="gift-qr"[^>]*>(<svg.*?</svg>)</div>', re.S)
GIVER_LOGIN = "olga-login-5e1f"
GIVER_EMAIL = "olga-5e1f@example.org"
PRIVATE_WEIGHT = "123.4"


def giver_user():
    return make_user(GIVER_LOGIN, first_name="Olga", email=GIVER_EMAIL)


def recipient_user(name="masha"):
    return make_user(name, first_name=name.capitalize())


def give_as_gift(client, culture, *, given_to="Masha", share_ancestry=True):
    """Tap "Give away" on ``culture``'s page with "Make a gift link" ticked; returns the
    card's link (as a path), code and QR code's SVG, from the page the post leads to."""
    data = {"given_to": given_to, "make_gift": "on"}
    if share_ancestry:
        data["share_ancestry"] = "on"
    response = client.post(reverse("grains:give_away", args=[culture.pk]), data, follow=True)
    return new_gift_on(response)


def make_gift_link(client, culture, *, share_ancestry=True):
    """Tap "Make a gift link" on the card of grains given away already."""
    data = {"share_ancestry": "on"} if share_ancestry else {}
    response = client.post(reverse("gifts:make", args=[culture.pk]), data, follow=True)
    return new_gift_on(response)


def new_gift_on(response):
    assert response.status_code == 200
    page = response.text
    link, code, qr = LINK.search(page), CODE.search(page), QR.search(page)
    assert link, "the card does not show the new gift's link"
    assert code, "the card does not show the new gift's code"
    assert qr, "the card does not show the new gift's QR code"
    path = unescape(link.group(1)).removeprefix("http://testserver")
    assert path.startswith("/gift/")
    return path, unescape(code.group(1)), qr.group(1), unescape(link.group(1))


def accept(client, path, *, name=None, share_growth=False, follow=True):
    data = {"name": name} if name is not None else {}
    if name is None:
        found = re.search(r'name="name"[^>]*value="([^"]*)"', client.get(path).text)
        data["name"] = unescape(found.group(1)) if found else ""
    if share_growth:
        data["share_growth"] = "on"
    return client.post(path, data, follow=follow)


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return text(response.text)

"""A family of grains full of private things, share links made as the owner makes them
(on the share card), and the shared page read back as text."""

import re
from datetime import timedelta
from html import unescape
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Base
from kefir_tracker.grains.models import Kind, Origin, Status
from tests.factories import make_batch, make_culture, make_tasting, make_weighing

HTMX = {"HTTP_HX_REQUEST": "true"}
LINK = re.compile(r'id="share-link" type="url" value="([^"]+)"')
# Distinctive words of what is only the owner's, each of which must never be shared.
PRIVATE = {
    "culture notes": "Kept-by-the-window-7f3a",
    "batch notes": "Forgot-the-lid-9c2e",
    "tasting notes": "Tasted-like-feet-41bd",
    "discard reason": "Pink-mould-5d1a",
    "given to": "Masha-Ivanova-0e7c",
    "flavourings": "Secret-ginger-b8f0",
}


def family(owner):
    """Babushka (a gift) → Babushka II → Little B, and a jar given away from Babushka;
    Highland, a tree of its own. Babushka II made three batches (one more discarded),
    with notes, tastings and weighings."""
    now = timezone.now()
    root = make_culture(
        owner, "Babushka", origin=Origin.GIFT, source="Grandma Vera", notes=PRIVATE["culture notes"]
    )
    second = make_culture(
        owner, "Babushka II", parent=root, origin=Origin.SPLIT, notes=PRIVATE["culture notes"]
    )
    third = make_culture(owner, "Little B", parent=second, origin=Origin.SPLIT)
    given = make_culture(
        owner,
        "Jar for a friend",
        parent=root,
        origin=Origin.SPLIT,
        status=Status.GIVEN_AWAY,
        given_to=PRIVATE["given to"],
    )
    other_tree = make_culture(owner, "Highland", origin=Origin.BOUGHT, source="the market")
    batches = []
    for days, base in ((9, Base.COW), (6, Base.GOAT), (3, Base.SOY)):
        started = now - timedelta(days=days)
        batch = make_batch(
            second,
            base=base,
            started_at=started,
            strained_at=started + timedelta(hours=21),
            grains_in_g=25,
            grains_out_g=27,
            notes=PRIVATE["batch notes"],
            bottled_at=started + timedelta(hours=22),
            flavourings=PRIVATE["flavourings"],
        )
        make_tasting(batch, notes=PRIVATE["tasting notes"])
        batches.append(batch)
    make_batch(
        second,
        started_at=now - timedelta(days=1),
        discarded=True,
        discarded_at=now - timedelta(hours=20),
        discard_reason=PRIVATE["discard reason"],
    )
    make_batch(root, started_at=now - timedelta(days=40), strained_at=now - timedelta(days=39))
    make_batch(other_tree, started_at=now - timedelta(days=2), strained_at=now - timedelta(days=1))
    for grams, days in ((24, 20), (26, 12), (29, 2)):
        make_weighing(second, grams, weighed_at=now - timedelta(days=days))
    water = make_culture(owner, "Tibicos", kind=Kind.WATER)
    return SimpleNamespace(
        root=root,
        second=second,
        third=third,
        given=given,
        other_tree=other_tree,
        water=water,
        batches=batches,
    )


def make_share_link(client, culture, **choices) -> str:
    """Tap "Make a share link" on ``culture``'s card (htmx), with ``choices`` of the form;
    returns the path of the link it shows, /shared/<token>/."""
    data = {"expires": "never", **choices}
    response = client.post(reverse("sharing:create", args=[culture.pk]), data, **HTMX)
    assert response.status_code == 200
    found = LINK.search(response.text)
    assert found, "the card does not show the new link"
    link = unescape(found.group(1))
    assert link.startswith("http://testserver/shared/")
    return link.removeprefix("http://testserver")


def token_of(path: str) -> str:
    return path.removeprefix("/shared/").removesuffix("/")


def text(html: str) -> str:
    """What a person reads: the tags gone, the spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def tree_rows(html: str) -> list[str]:
    """The text of every culture of the shared tree, in order."""
    return [
        text(row) for row in re.findall(r'<li class="lineage-node[^"]*">(.*?)</li>', html, re.S)
    ]


def batch_rows(html: str) -> list[str]:
    return [text(row) for row in re.findall(r'<tr class="shared-batch">(.*?)</tr>', html, re.S)]

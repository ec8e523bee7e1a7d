"""A kitchen's export keeps where received grains came from: the giver's frozen lineage
snapshot, which exists nowhere else once the gift's link is cut. Importing it restores
the lineage page as it was; a bad snapshot in the file is refused, naming it."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kefir_tracker.gifts.models import ReceivedLineage
from kefir_tracker.grains.models import Culture
from tests.factories import make_user
from tests.gifts.helpers import page_text
from tests.sharing.helpers import text

GIFT_FILE = {
    "format": "kefir-tracker-gift",
    "version": 1,
    "grains": {"name": "Kefirchik", "kind": "milk", "given_by": "Vera", "generation": 2},
    "ancestors": [
        {"name": "Old Kefir", "generation": 0, "origin": "bought at the market"},
        {"name": "Kefir II", "generation": 1, "origin": "split from other grains"},
    ],
}


def received_from_vera(client):
    """Grains received as people receive them from a friend on another installation."""
    upload = SimpleUploadedFile("gift.json", json.dumps(GIFT_FILE).encode())
    response = client.post(reverse("gifts:import_file"), {"file": upload, "name": ""})
    assert response.status_code == 302


def export(client) -> dict:
    response = client.get(reverse("archive:export_json"))
    assert response.status_code == 200
    return json.loads(response.content)


def restore(client, data):
    upload = SimpleUploadedFile("kefir.json", json.dumps(data).encode())
    return client.post(reverse("archive:your_data"), {"file": upload}, follow=True)


@pytest.fixture
def masha(db):
    return make_user("masha", first_name="Masha")


@pytest.fixture
def recipient_client(client, masha):
    client.force_login(masha)
    return client


def lineage_page(client, user) -> str:
    return page_text(client, Culture.objects.for_user(user).get().get_absolute_url())


def where_from(page: str) -> str:
    """The grains page's account of where they came from, as a person reads it."""
    start = page.index("A gift from")
    return page[start : page.index("generation 1", start)]


def test_the_export_carries_the_lineage_and_a_restore_shows_it_again(recipient_client, masha):
    received_from_vera(recipient_client)
    before = lineage_page(recipient_client, masha)
    data = export(recipient_client)
    [lineage] = data["received_lineages"]
    assert (lineage["given_by"], lineage["given_name"], lineage["given_generation"]) == (
        "Vera",
        "Kefirchik",
        2,
    )
    assert [a["name"] for a in lineage["ancestors"]] == ["Old Kefir", "Kefir II"]

    newcomer = make_user("newcomer")
    recipient_client.force_login(newcomer)
    response = restore(recipient_client, data)

    assert "Imported 1 cultures, 1 received lineages" in text(response.text)
    after = lineage_page(recipient_client, newcomer)
    assert "A gift from Vera" in after
    assert "Old Kefir generation 0 · bought at the market" in after
    assert "Kefir II generation 1" in after
    assert where_from(after) == where_from(before)
    assert export(recipient_client)["received_lineages"] == data["received_lineages"]


def test_importing_the_same_export_again_keeps_one_lineage(recipient_client):
    received_from_vera(recipient_client)
    response = restore(recipient_client, export(recipient_client))
    assert "already here, left as they were" in text(response.text)
    assert ReceivedLineage.objects.count() == 1


def test_a_lineage_for_grains_that_have_none_here_is_added_on_a_merge(recipient_client):
    """Grains of the same name here already (restoring onto a kitchen that kept them)
    get back where they came from."""
    received_from_vera(recipient_client)
    data = export(recipient_client)
    ReceivedLineage.objects.all().delete()
    restore(recipient_client, data)
    assert ReceivedLineage.objects.get().culture.name == "Kefirchik"
    assert ReceivedLineage.objects.get().ancestors == data["received_lineages"][0]["ancestors"]


def bad(change):
    def spoil(data):
        change(data["received_lineages"][0])
        return data

    return spoil


def listed_twice(data):
    data["received_lineages"].append(dict(data["received_lineages"][0]))
    return data


BAD_LINEAGES = {
    "ancestors out of order": (
        bad(lambda r: r["ancestors"].reverse()),
        "received_lineages[0], field “ancestors”: Its ancestors are not in order of generation",
    ),
    "ancestors not a list": (
        bad(lambda r: r.update(ancestors="Old Kefir")),
        "received_lineages[0], field “ancestors”: Its ancestors are not a list",
    ),
    "an ancestor with a hidden part": (
        bad(lambda r: r["ancestors"][0].update(notes="private")),
        "field “ancestors”: Ancestor 1 does not have the expected parts",
    ),
    "a name with control characters": (
        bad(lambda r: r["ancestors"][1].update(name="Kefir\u0000II")),
        "field “ancestors”: Ancestor 2's name holds characters that are not text",
    ),
    "no generation": (
        bad(lambda r: r.update(given_generation=None)),
        "received_lineages[0], field “given_generation”: cannot be null",
    ),
    "a giver's name too long": (
        bad(lambda r: r.update(given_by="V" * 151)),
        "received_lineages[0], field “given_by”: Ensure this value has at most 150 characters",
    ),
    "listed twice": (listed_twice, "received_lineages[1]: These grains' lineage is listed twice"),
}


@pytest.mark.parametrize("case", BAD_LINEAGES, ids=list(BAD_LINEAGES))
def test_a_bad_lineage_refuses_the_whole_file_naming_it(recipient_client, case):
    spoil, said = BAD_LINEAGES[case]
    received_from_vera(recipient_client)
    data = spoil(export(recipient_client))
    newcomer = make_user("newcomer")
    recipient_client.force_login(newcomer)

    response = restore(recipient_client, data)

    assert response.status_code == 200
    assert said in text(response.text)
    assert not Culture.objects.for_user(newcomer).exists()
    assert ReceivedLineage.objects.count() == 1  # Masha's own

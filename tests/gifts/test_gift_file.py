"""A gift carried to another installation as a file: downloaded by the giver, received
from the grains page by a friend (here another account, as if on another installation);
a bad file is told next to the field and saves nothing."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kefir_tracker.gifts.models import Gift
from kefir_tracker.grains.models import Culture, Origin
from tests.factories import make_culture
from tests.gifts.helpers import (
    GIVER_EMAIL,
    GIVER_LOGIN,
    PRIVATE_WEIGHT,
    give_as_gift,
    page_text,
)
from tests.sharing.helpers import PRIVATE, text


def download(client, gift):
    response = client.get(reverse("gifts:download", args=[gift.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="gift-')
    return b"".join(response.streaming_content) if response.streaming else response.content


def upload(client, content: bytes, name="", file_name="gift.json"):
    data = {"file": SimpleUploadedFile(file_name, content, "application/json"), "name": name}
    return client.post(reverse("gifts:import_file"), data, follow=True)


def good_file(**changes):
    data = {
        "format": "kefir-tracker-gift",
        "version": 1,
        "grains": {"name": "Kefirchik", "kind": "milk", "given_by": "Vera", "generation": 2},
        "ancestors": [
            {"name": "Old Kefir", "generation": 0, "origin": "bought at the market"},
            {"name": "Kefir II", "generation": 1, "origin": "split from other grains"},
        ],
    }
    data.update(changes)
    return json.dumps(data).encode()


@pytest.mark.parametrize("share_ancestry", [True, False])
def test_the_file_round_trip(giver_client, kin, recipient, recipient_client, share_ancestry):
    give_as_gift(giver_client, kin.third, share_ancestry=share_ancestry)
    content = download(giver_client, Gift.objects.get())
    for private in [*PRIVATE.values(), GIVER_LOGIN, GIVER_EMAIL, PRIVATE_WEIGHT, "Highland"]:
        assert private.encode() not in content
    assert json.loads(content)["format"] == "kefir-tracker-gift"

    response = upload(recipient_client, content)
    culture = Culture.objects.for_user(recipient).get()
    assert response.redirect_chain[-1][0] == culture.get_absolute_url()
    assert "Received Little B from Olga" in text(response.text)
    assert (culture.name, culture.origin, culture.source) == ("Little B", Origin.GIFT, "Olga")
    page = page_text(recipient_client, culture.get_absolute_url())
    assert "A gift from Olga" in page
    assert "from a file" in page
    assert ("Babushka generation 0 · gift from Grandma Vera" in page) is share_ancestry
    assert ("Babushka II generation 1" in page) is share_ancestry
    # The file opens no gift here: the link still waits for its recipient.
    assert Gift.objects.get().accepted_at is None


def test_names_from_a_file_are_shown_as_text(recipient, recipient_client):
    hostile = "<script>alert(1)</script>"
    content = good_file(
        grains={"name": "<b>Bold</b>", "kind": "water", "given_by": hostile, "generation": 1},
        ancestors=[{"name": "<img src=x onerror=alert(1)>", "generation": 0, "origin": hostile}],
    )
    upload(recipient_client, content)
    culture = Culture.objects.for_user(recipient).get()
    html = recipient_client.get(culture.get_absolute_url()).text
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html


def test_a_name_of_ones_own_can_be_given_and_a_taken_name_is_told(recipient, recipient_client):
    make_culture(recipient, "Kefirchik")
    response = upload(recipient_client, good_file())
    assert response.status_code == 200
    assert "You already have grains called Kefirchik" in text(response.text)
    assert Culture.objects.for_user(recipient).count() == 1
    upload(recipient_client, good_file(), name="Vera's Kefirchik")
    assert Culture.objects.for_user(recipient).filter(name="Vera's Kefirchik").exists()


def deep(levels):
    return ("[" * levels + "]" * levels).encode()


BAD_FILES = {
    "not json": (b"hello", "it is not a JSON file"),
    "not utf-8": (b"\xff\xfe\x00", "it is not text"),
    "another format": (good_file(format="kefir-tracker-export"), "not a gift file from"),
    "a later version": (good_file(version=2), "a version of the gift file"),
    "a version as text": (good_file(version="1"), "a version of the gift file"),
    "an extra part": (good_file(extra=1), "parts a gift file does not have"),
    "grains missing": (good_file(grains=None), "its grains does not have"),
    "an unknown kind": (
        good_file(grains={"name": "K", "kind": "tea", "given_by": "V", "generation": 0}),
        "no known kind",
    ),
    "a name too long": (
        good_file(grains={"name": "K" * 81, "kind": "milk", "given_by": "V", "generation": 2}),
        "longer than 80",
    ),
    "an empty name": (
        good_file(grains={"name": " ", "kind": "milk", "given_by": "V", "generation": 2}),
        "is empty",
    ),
    "a control character": (
        good_file(grains={"name": "K\u0000", "kind": "milk", "given_by": "V", "generation": 2}),
        "not text",
    ),
    "a generation as a boolean": (
        good_file(grains={"name": "K", "kind": "milk", "given_by": "V", "generation": True}),
        "not a generation",
    ),
    "ancestors out of order": (
        good_file(
            ancestors=[
                {"name": "A", "generation": 1, "origin": ""},
                {"name": "B", "generation": 0, "origin": ""},
            ]
        ),
        "not in order",
    ),
    "too many ancestors": (
        good_file(
            grains={"name": "K", "kind": "milk", "given_by": "V", "generation": 99},
            ancestors=[{"name": f"A{n}", "generation": n, "origin": ""} for n in range(51)],
        ),
        "at most 50",
    ),
    "nested too deeply": (deep(5000), "nested too deeply"),
    "a duplicate key": (
        b'{"format": "kefir-tracker-gift", "format": "kefir-tracker-gift"}',
        "appears twice",
    ),
    "a NaN": (good_file().replace(b'"generation": 2', b'"generation": NaN'), "not a number"),
    "too big": (good_file() + b" " * 40_000, "too big"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_file_is_told_next_to_the_field_and_saves_nothing(recipient, recipient_client, case):
    content, reason = BAD_FILES[case]
    response = upload(recipient_client, content, name="Typed-name-12")
    assert response.status_code == 200
    page = response.text
    field = re.search(
        r'<div class="field has-error">\s*<label for="file-file">(.*?)</div>', page, re.S
    )
    assert field, "no error next to the file field"
    assert reason in text(field.group(1)), text(field.group(1))
    assert "Nothing was saved" in text(page) or case == "too big"
    assert 'value="Typed-name-12"' in page
    assert not Culture.objects.for_user(recipient).exists()


def test_no_file_is_told_next_to_the_field(recipient_client):
    response = recipient_client.post(reverse("gifts:import_file"), {"name": ""})
    assert "Choose the gift file" in text(response.text)

"""The labels page: the person's own jars in use, all ticked; the paper and sizes of the
sticker sheets; reached from Today and from a batch's page."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from kefir_tracker.accounts.models import VolumeUnit
from kefir_tracker.labels.sheets import SHEETS
from tests.factories import make_batch, make_culture
from tests.labels.helpers import jars

LABELS = reverse("labels:choose")


@pytest.fixture
def kitchen(owner):
    return jars(owner)


def offered(html):
    """{batch id: ticked} of the jar checkboxes."""
    boxes = re.findall(r'<input type="checkbox" name="batch" value="(\d+)"([^>]*)>', html)
    return {int(pk): "checked" in rest for pk, rest in boxes}


def test_it_offers_the_jars_fermenting_and_the_bottles_all_ticked(
    owner_client, other_user, kitchen
):
    make_batch(make_culture(other_user, "Mallory's grains"))
    response = owner_client.get(LABELS)

    assert response.status_code == 200
    assert offered(response.text) == {kitchen["bottled"].pk: True, kitchen["fermenting"].pk: True}
    fermenting, bottled = kitchen["fermenting"], kitchen["bottled"]
    assert f"Babushka #{fermenting.number} · cow milk · started " in response.text
    assert f"Tibicos #{bottled.number} · sugar water · bottled " in response.text
    assert "Mallory" not in response.text


def test_a_batch_pages_link_ticks_that_jar_alone(owner_client, kitchen):
    fermenting = kitchen["fermenting"]
    page = owner_client.get(fermenting.get_absolute_url()).text
    link = f"{LABELS}?batch={fermenting.pk}"
    assert f'href="{link}">Print jar labels</a>' in page

    response = owner_client.get(link)
    assert offered(response.text) == {fermenting.pk: True, kitchen["bottled"].pk: False}


def test_a_bottles_page_links_to_its_label(owner_client, kitchen):
    bottled = kitchen["bottled"]
    page = owner_client.get(bottled.get_absolute_url()).text
    assert f'href="{LABELS}?batch={bottled.pk}">Print jar labels</a>' in page


@pytest.mark.parametrize("which", ["done", "finished", "discarded"])
def test_a_batch_no_longer_in_use_has_no_label_link(owner_client, kitchen, which):
    page = owner_client.get(kitchen[which].get_absolute_url()).text
    assert "Print jar labels" not in page


def test_someone_elses_batch_in_the_link_ticks_nothing_of_theirs(owner_client, other_user, kitchen):
    theirs = make_batch(make_culture(other_user, "Mallory's grains"))
    response = owner_client.get(f"{LABELS}?batch={theirs.pk}&batch=١")
    assert response.status_code == 200
    assert theirs.pk not in offered(response.text)
    assert all(offered(response.text).values())  # as if no jar was asked for
    assert "Mallory" not in response.text


def test_today_links_to_it_while_a_jar_ferments(owner_client, kitchen):
    assert f'href="{LABELS}">Print jar labels</a>' in owner_client.get("/").text


def test_today_has_no_link_when_nothing_ferments(owner_client, culture):
    assert "Print jar labels" not in owner_client.get("/").text


def test_with_nothing_in_use_it_says_labels_are_for_jars_in_use(owner_client, culture):
    make_batch(culture, strained_at=None, discarded=True)
    response = owner_client.get(LABELS)
    assert "Nothing is fermenting or bottled: labels are for jars in use." in response.text
    assert "<form" not in response.text.split('id="main"', 1)[1]


def test_each_size_says_what_it_is_on_either_paper(owner_client, kitchen):
    html = owner_client.get(LABELS).text
    for sheet in SHEETS.values():
        assert sheet.describe() in html
    assert "24 on a sheet (3 × 8), 63.5 × 33.9 mm, like Avery L7159" in html
    assert "30 on a sheet (3 × 10), 66.7 × 25.4 mm, like Avery 5160" in html


def test_a4_is_the_paper_unless_the_person_measures_in_cups(owner_client, owner, kitchen):
    assert re.search(r'value="a4"[^>]* checked', owner_client.get(LABELS).text)
    owner.volume_unit = VolumeUnit.CUPS
    owner.save()
    assert re.search(r'value="letter"[^>]* checked', owner_client.get(LABELS).text)


def test_a_new_sheet_one_label_each_is_the_start(owner_client, kitchen):
    html = owner_client.get(LABELS).text
    assert re.search(r'name="skip" value="0"', html)
    assert re.search(r'name="copies" value="1"', html)
    assert re.search(r'value="small"[^>]* checked', html)
    assert f'action="{reverse("labels:print")}"' in html
    assert 'method="get"' in html


def test_every_sheet_fills_its_page_edge_to_edge_as_its_maker_gives_it():
    pages = {"a4": (Decimal(210), Decimal(297)), "letter": (Decimal("215.9"), Decimal("279.4"))}
    for sheet in SHEETS.values():
        width, height = pages[sheet.paper]
        across = 2 * sheet.left + sheet.columns * sheet.width + (sheet.columns - 1) * sheet.gap_x
        down = 2 * sheet.top + sheet.rows * sheet.height + (sheet.rows - 1) * sheet.gap_y
        assert abs(across - width) < Decimal("0.01"), sheet.key
        assert abs(down - height) < Decimal("0.01"), sheet.key

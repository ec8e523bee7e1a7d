"""The print page: a label for each jar chosen, saying what it is, when it started and
when it should be ready in the person's own way of writing times; used labels skipped,
copies side by side, sheets as many as needed; nonsense refused beside its field."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.labels.models import JarCode
from tests.factories import make_batch, make_culture
from tests.labels.helpers import jars, labels, print_url, sheets

NEW_YORK = ZoneInfo("America/New_York")


def written(moment, zone=NEW_YORK):
    """A moment as a person with a 12-hour clock who writes the month first reads it:
    'Wed Dec 2, 1:06 PM' (with the year when not this year)."""
    local = moment.astimezone(zone)
    year = f", {local.year}" if local.year != timezone.now().astimezone(zone).year else ""
    return f"{local:%a %b} {local.day}{year}, {time_of_day(local)}"


def time_of_day(local):
    return (
        f"{local.hour % 12 or 12}:{local:%M}\N{NO-BREAK SPACE}{'AM' if local.hour < 12 else 'PM'}"
    )


@pytest.fixture
def kitchen(owner):
    return jars(owner)


@pytest.fixture
def american(owner):
    owner.time_zone, owner.clock_hours, owner.date_order = "America/New_York", "12", "md"
    owner.save()
    return owner


def test_each_label_says_the_grains_batch_base_start_and_ready_time(
    owner_client, american, kitchen
):
    fermenting, bottled = kitchen["fermenting"], kitchen["bottled"]
    response = owner_client.get(print_url(fermenting, bottled))

    assert response.status_code == 200
    second, first = labels(response.text)  # the oldest jar first: the bottle
    assert first.lines[:3] == [
        "Babushka",
        f"#{fermenting.number} · cow milk",
        f"Started {written(fermenting.started_at)}",
    ]
    # The ready time is the one the batch page gives (there: its time of day alone, after
    # the weekday when that is not today).
    batch_page = owner_client.get(fermenting.get_absolute_url()).text
    ready_at = re.search(r"ready ≈\s*<strong>(?:\w{3} )?([^<]+)</strong>", batch_page).group(1)
    assert re.fullmatch(rf"Ready ≈ \w+ \w+ \d+, {ready_at}", first.lines[3])

    # A bottle: when it was bottled, and the guides' window for a water kefir's second
    # ferment (1-3 days).
    start, end = bottled.bottled_at + timedelta(hours=24), bottled.bottled_at + timedelta(hours=72)
    assert second.lines == [
        "Tibicos",
        f"#{bottled.number} · sugar water",
        f"Bottled {written(bottled.bottled_at)}",
        f"Ready {written(start)}",
        f"to {written(end)}",
    ]


def test_a_milk_bottle_ready_the_same_day_gives_the_end_as_a_time(owner_client, owner):
    now = timezone.now().astimezone(ZoneInfo("UTC"))
    # Bottled at 01:00 UTC today or yesterday: ready 05:00-13:00 the same day.
    bottled_at = now.replace(hour=1, minute=0, second=0, microsecond=0)
    if bottled_at > now:
        bottled_at -= timedelta(days=1)
    batch = make_batch(
        make_culture(owner, "Little B"),
        started_at=bottled_at - timedelta(hours=21),
        strained_at=bottled_at - timedelta(minutes=30),
        bottled_at=bottled_at,
    )
    (label,) = labels(owner_client.get(print_url(batch)).text)
    day = f"{bottled_at:%a} {bottled_at.day} {bottled_at:%b}"
    assert label.lines[2:] == [f"Bottled {day}, 01:00", f"Ready {day}, 05:00–13:00"]


def test_skipped_labels_come_first_and_each_jars_copies_together(owner_client, kitchen):
    fermenting, bottled = kitchen["fermenting"], kitchen["bottled"]
    response = owner_client.get(print_url(fermenting, bottled, skip=5, copies=3))

    (sheet,) = sheets(response.text)
    assert len(sheet) == 5 + 2 * 3
    assert sheet[:5] == [None] * 5
    names = [cell.name for cell in sheet[5:]]
    assert names == ["Tibicos"] * 3 + ["Babushka"] * 3  # oldest jar first
    assert len({cell.svg for cell in sheet[5:8]}) == 1
    assert sheet[5].svg != sheet[8].svg
    assert "6 labels on 1 A4 sheet" in response.text


def test_labels_that_do_not_fit_go_on_another_sheet(owner_client, kitchen):
    fermenting, bottled = kitchen["fermenting"], kitchen["bottled"]
    # Letter, small: 30 a sheet. 27 used, then 2 jars, 4 copies each: 3 here, 5 on the next.
    response = owner_client.get(
        print_url(fermenting, bottled, paper="letter", size="small", skip=27, copies=4)
    )
    first, second = sheets(response.text)
    assert len(first) == 30
    assert first[:27] == [None] * 27
    assert [cell.name for cell in first[27:]] == ["Tibicos"] * 3
    assert [cell.name for cell in second] == ["Tibicos"] + ["Babushka"] * 4
    assert 'class="sheet sheet-letter-3x10 paper-letter"' in response.text
    assert "8 labels on 2 US Letter sheets" in response.text


@pytest.mark.parametrize(
    ("paper", "size", "key", "per_sheet"),
    [
        ("a4", "small", "a4-3x8", 24),
        ("a4", "large", "a4-2x7", 14),
        ("letter", "small", "letter-3x10", 30),
        ("letter", "large", "letter-2x5", 10),
    ],
)
def test_each_paper_and_size_is_its_sheet(owner_client, kitchen, paper, size, key, per_sheet):
    url = print_url(kitchen["fermenting"], paper=paper, size=size, skip=per_sheet - 1)
    response = owner_client.get(url)
    (sheet,) = sheets(response.text)
    assert f'class="sheet sheet-{key} paper-{paper}"' in response.text
    assert len(sheet) == per_sheet
    assert sheet[-1].name == "Babushka"


def test_the_print_page_is_for_nobody_else_and_no_robot(owner_client, kitchen):
    response = owner_client.get(print_url(kitchen["fermenting"]))
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in response.text
    assert "private" in response["Cache-Control"]
    # The strict policy: no inline styles or scripts anywhere in the sheets.
    assert " style=" not in response.text
    assert re.findall(r"<script(?![^>]* src=)", response.text) == []


def test_a_jar_keeps_its_code_from_print_to_print_and_each_jar_has_its_own(owner_client, kitchen):
    fermenting, bottled = kitchen["fermenting"], kitchen["bottled"]
    assert JarCode.objects.count() == 0

    first = [label.address for label in labels(owner_client.get(print_url(fermenting)).text)]
    again = owner_client.get(print_url(bottled, fermenting, copies=2)).text
    both = {label.name: label.address for label in labels(again)}

    assert both["Babushka"] == first[0]
    assert both["Tibicos"] != both["Babushka"]
    assert JarCode.objects.count() == 2
    for address in both.values():
        code = address.rsplit("/j/", 1)[1]
        assert re.fullmatch(r"[A-Za-z0-9_-]{12}", code)


def test_the_choices_are_kept_for_a_change(owner_client, kitchen):
    """The print page's Change goes back to the labels page with every choice kept."""
    url = print_url(kitchen["bottled"], paper="letter", size="large", skip=3, copies=2)
    page = owner_client.get(url).text
    change = re.search(r'<a class="button secondary small" href="([^"]+)">Change</a>', page)
    form = owner_client.get(change.group(1).replace("&amp;", "&")).text

    assert re.search(rf'value="{kitchen["bottled"].pk}"[^>]* checked', form)
    assert not re.search(rf'value="{kitchen["fermenting"].pk}"[^>]* checked', form)
    assert re.search(r'value="letter"[^>]* checked', form)
    assert re.search(r'value="large"[^>]* checked', form)
    assert re.search(r'name="skip" value="3"', form)
    assert re.search(r'name="copies" value="2"', form)


# ---- bad input ----


def field_errors(html, name):
    """The messages shown inside the field (the ``.field`` holding input ``name``)."""
    for field in re.findall(r'<div class="field has-error">(.*?)</ul>', html, re.S):
        if f'name="{name}"' in field:
            return re.findall(r"<li>(.*?)</li>", field)
    return []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"skip": 24}, "skip", "A sheet of these has 24 labels: skip 0 to 23 of them."),
        ({"skip": 30, "paper": "letter"}, "skip", "skip 0 to 29 of them."),
        ({"skip": -1}, "skip", "Write the number of used labels, like 0 or 5."),
        ({"skip": "²"}, "skip", "Write the number of used labels, like 0 or 5."),
        ({"skip": "9" * 5000}, "skip", "Write the number of used labels, like 0 or 5."),
        ({"skip": "1e3"}, "skip", "Write the number of used labels, like 0 or 5."),
        ({"skip": ""}, "skip", "Write how many labels to skip: 0 for a new sheet."),
        ({"copies": 0}, "copies", "Write how many labels each jar gets, from 1 to 10."),
        ({"copies": 11}, "copies", "Write how many labels each jar gets, from 1 to 10."),
        ({"copies": "two"}, "copies", "Write how many labels each jar gets, from 1 to 10."),
        ({"paper": "a5"}, "paper", "Choose the paper: A4 or US Letter."),
        ({"paper": ""}, "paper", "Choose the paper: A4 or US Letter."),
        ({"size": "huge"}, "size", "Choose small or large labels."),
    ],
)
def test_nonsense_is_refused_beside_its_field_and_the_rest_kept(
    owner_client, kitchen, changes, field, message
):
    fields = {"skip": 2, "copies": 3, "paper": "a4", "size": "small", **changes}
    response = owner_client.get(print_url(kitchen["bottled"], **fields))

    assert response.status_code == 400
    assert any(message in text for text in field_errors(response.text, field)), field_errors(
        response.text, field
    )
    assert re.search(rf'value="{kitchen["bottled"].pk}"[^>]* checked', response.text)
    assert not re.search(rf'value="{kitchen["fermenting"].pk}"[^>]* checked', response.text)
    if field != "copies":
        assert 'name="copies" value="3"' in response.text
    assert JarCode.objects.count() == 0
    assert 'class="sheet ' not in response.text


def test_no_jar_chosen_is_refused(owner_client, kitchen):
    response = owner_client.get(print_url())
    assert response.status_code == 400
    assert field_errors(response.text, "batch") == ["Choose at least one jar."]


@pytest.mark.parametrize(
    "written_as",
    [
        lambda pk: str(pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),  # Arabic-Indic
        lambda pk: f" {pk}",
        lambda pk: f"{pk}.0",
        lambda pk: str(10**30 + pk),
        lambda pk: "9" * 40,
        lambda pk: "-1",
    ],
)
def test_a_jar_written_any_other_way_is_refused(owner_client, kitchen, written_as):
    jar = kitchen["fermenting"]
    response = owner_client.get(print_url(kitchen["bottled"], written_as(jar.pk)))
    assert response.status_code == 400
    assert "choose from the jars listed" in field_errors(response.text, "batch")[0]
    assert JarCode.objects.count() == 0


def test_another_persons_jar_is_never_printed(owner_client, owner, other_user, kitchen):
    theirs = make_batch(make_culture(other_user, "Mallory's secret grains"))
    for url in (print_url(theirs), print_url(kitchen["fermenting"], theirs)):
        response = owner_client.get(url)
        assert response.status_code == 400
        assert "Mallory" not in response.text
        assert "choose from the jars listed" in field_errors(response.text, "batch")[0]
    assert not JarCode.objects.filter(batch=theirs).exists()


@pytest.mark.parametrize("which", ["done", "finished", "discarded"])
def test_a_jar_no_longer_in_use_is_refused(owner_client, kitchen, which):
    response = owner_client.get(print_url(kitchen[which]))
    assert response.status_code == 400
    assert "no longer fermenting or bottled" in field_errors(response.text, "batch")[0]


def test_the_print_page_answers_head(owner_client, kitchen):
    response = owner_client.head(print_url(kitchen["fermenting"]))
    assert response.status_code == 200
    assert response.content == b""


def test_the_print_page_is_not_a_post(owner_client, kitchen):
    assert owner_client.post(reverse("labels:print")).status_code == 405

"""The per-owner read cache (kefir_tracker/owner_cache.py) never shows stale or
someone else's data.

Every test first loads the pages that show a change, so what they read is
remembered, checks that the page does not show it yet, makes the change and
loads the pages again: what a person would see right after tapping a button.
"""

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import pre_save
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.accounts.models import User
from kefir_tracker.batches.models import Batch
from tests.admin_forms import admin_batch_data, admin_culture_data
from tests.batches.conftest import HTMX, htmx_from
from tests.factories import PASSWORD, make_batch, make_culture, make_user, make_weighing

TODAY = reverse("batches:today")
HISTORY = reverse("batches:history")
GONE = object()  # the page answers 404 after the change


def culture_page(culture):
    return reverse("grains:detail", args=[culture.pk])


def batch_page(batch):
    return reverse("batches:detail", args=[batch.pk])


def local(moment):
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def in_row(batch, text):
    """``text`` inside the batch's row of History or of a culture's batches."""
    return re.compile(rf'id="row-{batch.pk}">(?:(?!</li>).)*?{re.escape(text)}', re.S)


def shows(page: str, needle) -> bool:
    return needle in page if isinstance(needle, str) else needle.search(page) is not None


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.text


@pytest.fixture
def kitchen(owner):
    """Babushka with a bottled, a strained and a fermenting batch; Sleepy resting in
    milk 12 days old; Spare, never used (so it can be deleted)."""
    now = timezone.now()
    babushka = make_culture(owner, "Babushka")
    make_weighing(babushka, 30, weighed_on=timezone.localdate() - timedelta(days=5))
    bottled_start = now - timedelta(days=4)
    bottled = make_batch(
        babushka,
        started_at=bottled_start,
        strained_at=bottled_start + timedelta(hours=20),
        bottled_at=bottled_start + timedelta(hours=21),
        volume_ml=300,
    )
    strained_start = now - timedelta(days=2)
    strained = make_batch(
        babushka,
        started_at=strained_start,
        strained_at=strained_start + timedelta(hours=20),
        volume_ml=400,
    )
    fermenting = make_batch(babushka, started_at=now - timedelta(hours=6), volume_ml=500)
    sleepy = make_culture(
        owner,
        "Sleepy",
        status="resting",
        status_changed_at=now - timedelta(days=20),
        rest_milk_changed_at=now - timedelta(days=12),
    )
    spare = make_culture(owner, "Spare")
    return SimpleNamespace(
        owner=owner,
        babushka=babushka,
        bottled=bottled,
        strained=strained,
        fermenting=fermenting,
        sleepy=sleepy,
        spare=spare,
    )


def warm(client, k, expectations):
    """Load every page the cache serves, twice (the second from the cache), and
    check that none shows the change yet."""
    pages = [TODAY, HISTORY, culture_page(k.babushka), culture_page(k.spare)]
    pages += [culture_page(k.sleepy), batch_page(k.fermenting), batch_page(k.strained)]
    pages += [url for url, _, _ in expectations]
    for url in pages:
        page_of(client, url)
        page_of(client, url)
    for url, needle, shown_after in expectations:
        if needle is GONE:
            continue
        assert shows(page_of(client, url), needle) is not shown_after, describe(
            url, needle, not shown_after, "before the change"
        )


def check(client, expectations):
    for url, needle, shown_after in expectations:
        response = client.get(url)
        if needle is GONE:
            assert response.status_code == 404, f"{url} still answers {response.status_code}"
            continue
        assert response.status_code == 200, url
        assert shows(response.text, needle) is shown_after, describe(
            url, needle, shown_after, "after the change"
        )


def describe(url, needle, shown, when):
    text = needle if isinstance(needle, str) else needle.pattern
    return f"{url} should {'' if shown else 'not '}show {text!r} {when}"


# ---- 1. every change made over HTTP shows on the next page load ----


@dataclass
class Change:
    """A POST a person makes, and what the pages show afterwards: (url, text, shown after)."""

    url: object
    data: object
    expect: object
    status: int = 302

    def make(self, client, k):
        data = self.data(k) if callable(self.data) else self.data
        return client.post(self.url(k), data)


def edit_batch_data(batch, **changes):
    return {
        "base": batch.base,
        "volume_ml": str(batch.volume_ml),
        "grains_in_g": str(batch.grains_in_g),
        "room_temp_c": str(batch.room_temp_c),
        "started_at": local(batch.started_at),
        "strained_at": "",
        "grains_out_g": "",
        "flavourings": "",
        "bottled_at": "",
        "finished_at": "",
        "notes": "",
        **changes,
    }


def edit_culture_data(culture, **changes):
    return {
        "name": culture.name,
        "origin": culture.origin,
        "source": culture.source,
        "acquired_on": culture.acquired_on.isoformat(),
        "parent": "",
        "notes": "",
        **changes,
    }


def export_file(name, volume_ml):
    started = (timezone.now() - timedelta(days=1)).isoformat()
    return {
        "format": "kefir-tracker",
        "version": 1,
        "cultures": [{"ref": 1, "parent": None, "name": name, "kind": "milk"}],
        "batches": [
            {
                "ref": 1,
                "culture": 1,
                "base": "cow",
                "volume_ml": volume_ml,
                "grains_in_g": "20",
                "started_at": started,
            }
        ],
    }


def import_upload(k):
    raw = json.dumps(export_file("Imported Ilse", "321")).encode()
    return {"file": SimpleUploadedFile("kefir.json", raw)}


CHANGES = {
    "start a batch": Change(
        url=lambda k: reverse("batches:start", args=[k.babushka.pk]),
        data={"base": "goat", "volume_ml": "1234", "grains_in_g": "25"},
        expect=lambda k: [
            (TODAY, "1.23 l", True),  # fermenting now
            (TODAY, "last: 1.23 l goat milk", True),  # the remembered start card
            (HISTORY, "1.23 l", True),
            (culture_page(k.babushka), "1.23 l", True),
        ],
    ),
    "strain": Change(
        url=lambda k: reverse("batches:strain", args=[k.fermenting.pk]),
        data={"grains_out_g": "27.5"},
        expect=lambda k: [
            (TODAY, f'id="batch-{k.fermenting.pk}"', False),
            (TODAY, "Nothing is fermenting", True),
            (HISTORY, in_row(k.fermenting, "so far"), False),
            (culture_page(k.babushka), in_row(k.fermenting, "so far"), False),
            (culture_page(k.babushka), "27.5 g", True),
            (batch_page(k.fermenting), "27.5 g", True),
        ],
    ),
    "bottle": Change(
        url=lambda k: reverse("batches:bottle", args=[k.strained.pk]),
        data={"flavourings": "ginger"},
        expect=lambda k: [
            (HISTORY, in_row(k.strained, "in second ferment"), True),
            (culture_page(k.babushka), in_row(k.strained, "in second ferment"), True),
            (batch_page(k.strained), "Bottled for a second ferment with ginger", True),
        ],
    ),
    "finish the second ferment": Change(
        url=lambda k: reverse("batches:finish", args=[k.bottled.pk]),
        data={},
        expect=lambda k: [
            (HISTORY, in_row(k.bottled, "in second ferment"), False),
            (culture_page(k.babushka), in_row(k.bottled, "in second ferment"), False),
            (batch_page(k.bottled), "Second ferment finished", True),
        ],
    ),
    "add a tasting note": Change(
        url=lambda k: reverse("batches:taste", args=[k.strained.pk]),
        data={"rating": "5", "notes": "tangy like yoghurt"},
        expect=lambda k: [
            (HISTORY, in_row(k.strained, "not rated"), False),
            (f"{HISTORY}?q=yoghurt", f'id="row-{k.strained.pk}"', True),
            (f"{HISTORY}?min_rating=5", f'id="row-{k.strained.pk}"', True),
            (culture_page(k.babushka), in_row(k.strained, "not rated"), False),
            (batch_page(k.strained), "tangy like yoghurt", True),
        ],
    ),
    "edit a batch": Change(
        url=lambda k: reverse("batches:edit", args=[k.fermenting.pk]),
        data=lambda k: edit_batch_data(k.fermenting, volume_ml="750"),
        expect=lambda k: [
            (TODAY, "750 ml", True),
            (TODAY, "last: 750 ml cow milk", True),
            (HISTORY, in_row(k.fermenting, "750 ml"), True),
            (culture_page(k.babushka), in_row(k.fermenting, "750 ml"), True),
            (batch_page(k.fermenting), "750 ml", True),
        ],
    ),
    "discard a batch": Change(
        url=lambda k: reverse("batches:discard", args=[k.fermenting.pk]),
        data={"reason": "mould"},
        expect=lambda k: [
            (TODAY, f'id="batch-{k.fermenting.pk}"', False),
            (HISTORY, in_row(k.fermenting, "status-discarded"), True),
            (culture_page(k.babushka), in_row(k.fermenting, "status-discarded"), True),
            (batch_page(k.fermenting), "Discarded: mould", True),
        ],
    ),
    "delete a batch": Change(
        url=lambda k: reverse("batches:delete", args=[k.fermenting.pk]),
        data={},
        expect=lambda k: [
            (TODAY, f'id="batch-{k.fermenting.pk}"', False),
            (TODAY, "last: 400 ml cow milk", True),
            (HISTORY, f'id="row-{k.fermenting.pk}"', False),
            (culture_page(k.babushka), f'id="row-{k.fermenting.pk}"', False),
            (batch_page(k.fermenting), GONE, True),
        ],
    ),
    "weigh grains": Change(
        url=lambda k: reverse("grains:weigh", args=[k.babushka.pk]),
        data={"grams": "42.5", "weighed_on": timezone.localdate().isoformat()},
        expect=lambda k: [(culture_page(k.babushka), "<dt>Weight</dt><dd>42.5 g</dd>", True)],
    ),
    "split grains": Change(
        url=lambda k: reverse("grains:split", args=[k.babushka.pk]),
        data={"total_g": "60", "name_1": "Kid A", "grams_1": "20"}
        | {"name_2": "Kid B", "grams_2": "25"},
        expect=lambda k: [
            (culture_page(k.babushka), ">Kid A</a>", True),  # the remembered lineage
            (culture_page(k.babushka), "15 g", True),  # what is left
            (TODAY, "Kid B", True),  # new active grains get a start card
        ],
    ),
    "rest grains in the fridge": Change(
        url=lambda k: reverse("grains:status", args=[k.spare.pk]),
        data={"status": "resting"},
        expect=lambda k: [
            (TODAY, f'id="culture-{k.spare.pk}"', False),
            (culture_page(k.spare), "resting in the fridge", True),
        ],
    ),
    "retire grains": Change(
        url=lambda k: reverse("grains:status", args=[k.spare.pk]),
        data={"status": "retired"},
        expect=lambda k: [
            (TODAY, f'id="culture-{k.spare.pk}"', False),
            (culture_page(k.spare), "· retired ·", True),  # the remembered lineage
        ],
    ),
    "revive resting grains": Change(
        url=lambda k: reverse("grains:status", args=[k.sleepy.pk]),
        data={"status": "active"},
        expect=lambda k: [
            (TODAY, f'id="culture-{k.sleepy.pk}"', True),
            (culture_page(k.sleepy), "time for fresh milk", False),
        ],
    ),
    "give grains away": Change(
        url=lambda k: reverse("grains:give_away", args=[k.spare.pk]),
        data={"given_to": "Aunt Zina"},
        expect=lambda k: [
            (TODAY, f'id="culture-{k.spare.pk}"', False),
            (culture_page(k.spare), "<dt>Given to</dt><dd>Aunt Zina</dd>", True),
        ],
    ),
    "change the milk of resting grains": Change(
        url=lambda k: reverse("grains:rest_milk", args=[k.sleepy.pk]),
        data={},
        expect=lambda k: [(culture_page(k.sleepy), "time for fresh milk", False)],
    ),
    "rename grains": Change(
        url=lambda k: reverse("grains:edit", args=[k.babushka.pk]),
        data=lambda k: edit_culture_data(k.babushka, name="Babushka Prime"),
        expect=lambda k: [
            (TODAY, "Babushka Prime", True),
            (HISTORY, in_row(k.strained, "Babushka Prime"), True),
            (culture_page(k.babushka), "Babushka Prime", True),
            (batch_page(k.strained), "Babushka Prime", True),
        ],
    ),
    "move grains under a parent": Change(
        url=lambda k: reverse("grains:edit", args=[k.spare.pk]),
        data=lambda k: edit_culture_data(k.spare, parent=str(k.babushka.pk)),
        expect=lambda k: [
            (culture_page(k.babushka), f'href="{culture_page(k.spare)}"', True),
            (culture_page(k.spare), "Generation</dt><dd>1", True),
        ],
    ),
    "add grains": Change(
        url=lambda k: reverse("grains:create"),
        data={"name": "Newbie", "kind": "milk", "origin": "unknown", "source": ""}
        | {"acquired_on": timezone.localdate().isoformat(), "parent": "", "notes": ""},
        expect=lambda k: [(TODAY, "Newbie", True)],
    ),
    "delete grains": Change(
        url=lambda k: reverse("grains:delete", args=[k.spare.pk]),
        data={},
        expect=lambda k: [
            (TODAY, f'id="culture-{k.spare.pk}"', False),
            (culture_page(k.spare), GONE, True),
        ],
    ),
    "import a file": Change(
        url=lambda k: reverse("archive:your_data"),
        data=import_upload,
        expect=lambda k: [
            (TODAY, "Imported Ilse", True),
            (HISTORY, "Imported Ilse", True),
        ],
    ),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_change_shows_on_the_next_load_of_every_page_that_shows_it(owner_client, kitchen, change):
    expectations = change.expect(kitchen)
    warm(owner_client, kitchen, expectations)

    response = change.make(owner_client, kitchen)

    assert response.status_code == change.status, response.content[:2000]
    check(owner_client, expectations)


def test_an_htmx_history_page_is_as_fresh_as_the_whole_page(owner_client, kitchen):
    warm(owner_client, kitchen, [])
    owner_client.get(HISTORY, **HTMX)
    owner_client.get(TODAY, **HTMX)

    owner_client.post(reverse("batches:discard", args=[kitchen.fermenting.pk]), {"reason": "mould"})

    assert shows(owner_client.get(HISTORY, **HTMX).text, in_row(kitchen.fermenting, "discarded"))
    assert f'id="batch-{kitchen.fermenting.pk}"' not in owner_client.get(TODAY, **HTMX).text


# ---- 2. changes made outside the app's views ----


@pytest.fixture
def admin_client(db):
    return signed_in(make_user("root", is_staff=True, is_superuser=True))


def test_a_batch_changed_in_the_admin_shows_on_the_owners_pages(
    owner_client, kitchen, admin_client
):
    batch = kitchen.fermenting
    expectations = [
        (TODAY, "875 ml", True),
        (HISTORY, in_row(batch, "875 ml"), True),
        (culture_page(kitchen.babushka), in_row(batch, "875 ml"), True),
    ]
    warm(owner_client, kitchen, expectations)

    response = admin_client.post(
        reverse("admin:batches_batch_change", args=[batch.pk]),
        admin_batch_data(batch, volume_ml="875"),
    )

    assert response.status_code == 302, response.text[:3000]
    check(owner_client, expectations)


def test_grains_renamed_in_the_admin_show_their_new_name(owner_client, kitchen, admin_client):
    culture = kitchen.babushka
    expectations = [
        (TODAY, "Baba Yaga", True),
        (HISTORY, "Baba Yaga", True),
        (culture_page(culture), "Baba Yaga", True),
    ]
    warm(owner_client, kitchen, expectations)

    response = admin_client.post(
        reverse("admin:grains_culture_change", args=[culture.pk]),
        admin_culture_data(culture, name="Baba Yaga"),
    )

    assert response.status_code == 302, response.text[:3000]
    check(owner_client, expectations)


def test_grains_moved_to_another_account_in_the_admin_leave_the_old_owners_pages(
    owner_client, kitchen, other_user, admin_client
):
    """An administrator hands the unused grains Spare to another account."""
    spare = kitchen.spare
    expectations = [
        (culture_page(spare), GONE, True),
        (TODAY, f'id="culture-{spare.pk}"', False),
    ]
    warm(owner_client, kitchen, expectations)

    response = admin_client.post(
        reverse("admin:grains_culture_change", args=[spare.pk]),
        admin_culture_data(spare, owner=other_user.pk),
    )

    assert response.status_code == 302, response.text[:3000]
    assert signed_in(other_user).get(culture_page(spare)).status_code == 200
    check(owner_client, expectations)


def test_changes_saved_through_the_models_show_on_the_next_load(owner_client, kitchen):
    """What a shell session or a script does: plain model saves, no view involved."""
    expectations = [
        (TODAY, "Renamed in the shell", True),
        (HISTORY, "Renamed in the shell", True),
        (culture_page(kitchen.babushka), "Renamed in the shell", True),
        (culture_page(kitchen.babushka), "51.5 g", True),
        (TODAY, f'id="batch-{kitchen.fermenting.pk}"', False),
    ]
    warm(owner_client, kitchen, expectations)

    kitchen.babushka.name = "Renamed in the shell"
    kitchen.babushka.save()
    make_weighing(kitchen.babushka, 51.5, weighed_on=timezone.localdate())
    Batch.objects.get(pk=kitchen.fermenting.pk).delete()

    check(owner_client, expectations)


def test_a_file_imported_by_the_management_command_shows_at_once(owner_client, kitchen, tmp_path):
    expectations = [
        (TODAY, "Kefir from the command", True),
        (HISTORY, "Kefir from the command", True),
        (HISTORY, "6.54 l", True),
    ]
    warm(owner_client, kitchen, expectations)
    path = tmp_path / "kefir.json"
    path.write_text(json.dumps(export_file("Kefir from the command", "6543")))

    call_command("import_data", kitchen.owner.username, str(path), stdout=StringIO())

    check(owner_client, expectations)


def test_preferences_saved_while_a_batch_starts_on_another_device_do_not_hide_it(kitchen):
    """Two devices, one account: the laptop saves preferences; between the moment its
    request loaded the signed-in user and the moment it saves them, the phone starts
    a batch (what two requests a few milliseconds apart do on two workers)."""
    owner = User.objects.get(pk=kitchen.owner.pk)
    phone, laptop = signed_in(owner), signed_in(owner)
    expectations = [(HISTORY, "1.23 l", True), (TODAY, "1.23 l", True)]
    warm(phone, kitchen, expectations)

    def phone_starts_a_batch(sender, instance, **kwargs):
        pre_save.disconnect(phone_starts_a_batch, sender=User)
        started = phone.post(
            reverse("batches:start", args=[kitchen.babushka.pk]),
            {"base": "goat", "volume_ml": "1234", "grains_in_g": "25"},
        )
        assert started.status_code == 302

    pre_save.connect(phone_starts_a_batch, sender=User, weak=False)
    try:
        saved = laptop.post(
            reverse("accounts:account"),
            {"time_zone": "UTC", "temperature_unit": "F", "volume_unit": "ml"},
        )
    finally:
        pre_save.disconnect(phone_starts_a_batch, sender=User)

    assert saved.status_code == 302
    assert Batch.objects.filter(owner=owner, volume_ml=1234).exists()
    check(phone, expectations)


# ---- 3. two people: each sees their own, never the other's ----


@pytest.fixture
def neighbours(kitchen, other_user):
    theirs = make_culture(other_user, "Mallory's Tibicos", kind="water")
    batch = make_batch(theirs, started_at=timezone.now() - timedelta(hours=3), volume_ml=2500)
    return SimpleNamespace(culture=theirs, batch=batch)


def test_each_person_sees_only_their_own_grains_and_batches(owner, kitchen, other_user, neighbours):
    olga, mallory = signed_in(owner), signed_in(other_user)
    olgas = culture_page(kitchen.babushka)
    mallorys = culture_page(neighbours.culture)
    for _ in range(2):  # the second round from the cache
        for url in (TODAY, HISTORY, olgas):
            page = page_of(olga, url)
            assert "Babushka" in page
            assert "Mallory" not in page
            assert "2.5 l" not in page
        for url in (TODAY, HISTORY, mallorys):
            page = page_of(mallory, url)
            assert "Mallory&#x27;s Tibicos" in page
            assert "Babushka" not in page
            assert "500 ml" not in page
        # Each person's own pages are remembered; the same address is still not the other's.
        assert mallory.get(olgas).status_code == 404
        assert mallory.get(batch_page(kitchen.fermenting)).status_code == 404
        assert mallory.get(f"{olgas}?cursor=x").status_code in (400, 404)
        assert olga.get(mallorys).status_code == 404
        assert olga.get(batch_page(neighbours.batch)).status_code == 404


def test_one_persons_change_does_not_show_on_the_others_pages(
    owner, kitchen, other_user, neighbours
):
    olga, mallory = signed_in(owner), signed_in(other_user)
    for url in (TODAY, HISTORY):
        page_of(olga, url)
        page_of(mallory, url)

    mallory.post(
        reverse("grains:edit", args=[neighbours.culture.pk]),
        edit_culture_data(neighbours.culture, name="Secret Stash"),
    )
    olga.post(reverse("batches:discard", args=[kitchen.fermenting.pk]), {"reason": "mould"})

    for url in (TODAY, HISTORY):
        assert "Secret Stash" not in page_of(olga, url)
        assert "Secret Stash" in page_of(mallory, url)
    assert shows(page_of(olga, HISTORY), in_row(kitchen.fermenting, "discarded"))


def test_history_filtered_by_someone_elses_grains_shows_none_of_their_batches(
    owner, kitchen, other_user, neighbours
):
    mallory, olga = signed_in(other_user), signed_in(owner)
    same_filter = f"{HISTORY}?culture={kitchen.babushka.pk}"
    page_of(olga, same_filter)
    page_of(olga, same_filter)

    response = mallory.get(same_filter)

    assert response.status_code in (200, 400)
    assert f'id="row-{kitchen.fermenting.pk}"' not in response.text
    assert "Babushka" not in response.text


# ---- 4. units ----


def test_switching_to_cups_changes_todays_start_cards_at_once(owner_client, kitchen):
    assert "last: 500 ml cow milk" in page_of(owner_client, TODAY)
    page_of(owner_client, TODAY)

    response = owner_client.post(
        reverse("accounts:account"),
        {"time_zone": "UTC", "temperature_unit": "C", "volume_unit": "cup"},
    )

    assert response.status_code == 302
    page = page_of(owner_client, TODAY)
    assert "last: 2.11 cups cow milk" in page
    assert "500 ml" not in page
    history = page_of(owner_client, HISTORY)
    assert shows(history, in_row(kitchen.fermenting, "2.11 cups"))


def test_switching_back_to_millilitres_is_just_as_immediate(owner_client, kitchen):
    owner_client.post(
        reverse("accounts:account"),
        {"time_zone": "UTC", "temperature_unit": "C", "volume_unit": "cup"},
    )
    assert "last: 2.11 cups cow milk" in page_of(owner_client, TODAY)
    owner_client.post(
        reverse("accounts:account"),
        {"time_zone": "UTC", "temperature_unit": "C", "volume_unit": "ml"},
    )

    assert "last: 500 ml cow milk" in page_of(owner_client, TODAY)


# ---- 5. the cache does its job ----


CSRF_TOKEN = re.compile(r"[A-Za-z0-9]{64}")


def test_history_read_again_costs_fewer_queries_and_is_the_same_page(
    owner_client, kitchen, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as first_queries:
        first = owner_client.get(HISTORY)
    with django_assert_max_num_queries(len(first_queries) - 1):
        second = owner_client.get(HISTORY)

    assert first.status_code == second.status_code == 200
    assert f'id="row-{kitchen.fermenting.pk}"' in first.text
    assert CSRF_TOKEN.sub("TOKEN", second.text) == CSRF_TOKEN.sub("TOKEN", first.text)


@pytest.mark.parametrize("where", ["today", "culture page"])
def test_today_and_the_culture_page_read_again_cost_fewer_queries(
    owner_client, kitchen, django_assert_max_num_queries, where
):
    url = TODAY if where == "today" else culture_page(kitchen.babushka)
    with CaptureQueriesContext(connection) as first_queries:
        first = owner_client.get(url)
    with django_assert_max_num_queries(len(first_queries) - 1):
        second = owner_client.get(url)

    assert CSRF_TOKEN.sub("TOKEN", second.text) == CSRF_TOKEN.sub("TOKEN", first.text)


# ---- 6. signing out ends the session everywhere ----


def test_signing_out_on_one_device_signs_out_a_copy_of_the_session(owner, kitchen):
    first = Client()
    login = {"username": owner.username, "password": PASSWORD}
    assert first.post(reverse("accounts:login"), login).status_code == 302
    second = Client()
    cookie = settings.SESSION_COOKIE_NAME
    second.cookies[cookie] = first.cookies[cookie].value
    assert "Babushka" in page_of(second, TODAY)

    assert first.post(reverse("accounts:logout")).status_code == 302

    response = second.get(TODAY)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert second.get(HISTORY).status_code == 302


# ---- 7. a POST that renders shows what it has just changed ----


def test_an_htmx_start_on_today_shows_the_new_batch_in_its_own_answer(owner_client, kitchen):
    warm(owner_client, kitchen, [])

    response = owner_client.post(
        reverse("batches:start", args=[kitchen.babushka.pk]),
        {"base": "goat", "volume_ml": "1234", "grains_in_g": "25"},
        **HTMX,
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "1.23 l" in response.text
    assert "last: 1.23 l goat milk" in response.text
    assert "last: 1.23 l goat milk" in page_of(owner_client, TODAY)


def test_an_htmx_strain_on_today_shows_the_strained_card(owner_client, kitchen):
    warm(owner_client, kitchen, [])
    batch = kitchen.fermenting

    response = owner_client.post(
        reverse("batches:strain", args=[batch.pk]), **htmx_from(f"batch-{batch.pk}")
    )

    assert response.status_code == 200
    assert "Strained" in response.text
    assert "How does it taste?" in response.text
    assert ">Strain</button>" not in response.text
    assert "Nothing is fermenting" in page_of(owner_client, TODAY)


def test_an_htmx_weighing_on_the_culture_page_shows_the_new_weight(owner_client, kitchen):
    warm(owner_client, kitchen, [])
    url = reverse("grains:weigh", args=[kitchen.babushka.pk])

    response = owner_client.post(
        url, {"grams": "42.5", "weighed_on": timezone.localdate().isoformat()}, **HTMX
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "<dt>Weight</dt><dd>42.5 g</dd>" in response.text
    assert "<dt>Weight</dt><dd>42.5 g</dd>" in page_of(owner_client, culture_page(kitchen.babushka))


def test_an_htmx_status_change_shows_the_new_status_in_the_lineage(owner_client, kitchen):
    warm(owner_client, kitchen, [])
    url = reverse("grains:status", args=[kitchen.spare.pk])

    response = owner_client.post(url, {"status": "retired"}, **HTMX)

    assert response.status_code == 200
    assert "· retired ·" in response.text  # the lineage fragment, remembered on GETs
    assert "· retired ·" in page_of(owner_client, culture_page(kitchen.spare))


def test_an_htmx_split_shows_the_new_grains_in_the_lineage(owner_client, kitchen):
    warm(owner_client, kitchen, [])
    url = reverse("grains:split", args=[kitchen.babushka.pk])
    data = {"total_g": "60", "name_1": "Kid A", "grams_1": "20", "name_2": "Kid B"}

    response = owner_client.post(url, {**data, "grams_2": "25"}, **HTMX)

    assert response.status_code == 200
    assert ">Kid A</a>" in response.text  # the lineage, not only the message
    assert ">Kid B</a>" in response.text

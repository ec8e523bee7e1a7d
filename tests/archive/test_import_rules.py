"""An import accepts what the forms accept, and refuses the rest by record and field;
grains fermenting several batches, batch numbers and imports under way."""

import hashlib
import html
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.archive.models import ImportUnderWay
from kefir_tracker.batches.models import Batch
from kefir_tracker.grains.models import Culture, Weighing
from tests.archive.test_export_import import error_next_to_the_file_field
from tests.factories import make_batch, make_culture, make_user


def export_file(batches=(), **sections):
    """An export with the grains Babushka (ref 1) and ``batches`` of them."""
    return {
        "format": "kefir-tracker",
        "version": 1,
        "preferences": {"time_zone": "Europe/Berlin", "temperature_unit": "C", "volume_unit": "ml"},
        "cultures": [{"ref": 1, "parent": None, "name": "Babushka", "kind": "milk"}],
        "weighings": [],
        "batches": [
            {
                "ref": n,
                "culture": 1,
                "base": "cow",
                "volume_ml": "500.0",
                "grains_in_g": "25.0",
                **fields,
            }
            for n, fields in enumerate(batches, 1)
        ],
        "tasting_notes": [],
        **sections,
    }


def moment(days_ago, hour=8):
    when = timezone.now().replace(hour=hour, minute=0, second=0, microsecond=0)
    return (when - timedelta(days=days_ago)).isoformat()


def upload(client, payload, name="kefir.json"):
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.post(reverse("archive:your_data"), {"file": SimpleUploadedFile(name, raw)})


def refused_with(response, message):
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert message in html.unescape(response.text)
    assert not Culture.objects.exists()


# ---- values the forms refuse ----


def test_grains_acquired_in_year_1_are_refused_as_the_form_refuses_them(owner_client):
    data = export_file()
    data["cultures"][0]["acquired_on"] = "0001-01-01"
    response = upload(owner_client, data)
    refused_with(
        response,
        "kefir.json, cultures[0], field “acquired_on”: That is before 1900: check the year.",
    )


def test_a_weighing_dated_9999_is_refused_and_never_shows_as_the_weight(owner_client):
    data = export_file(weighings=[{"culture": 1, "weighed_on": "9999-12-31", "grams": "31.5"}])
    response = upload(owner_client, data)
    refused_with(
        response, "kefir.json, weighings[0], field “weighed_on”: That date is in the future."
    )
    assert not Weighing.objects.exists()


def test_a_time_without_a_utc_offset_is_refused_naming_record_and_field(owner_client):
    # Used to be a 500: TypeError comparing a naive time with an aware one.
    data = export_file([{"started_at": "2026-01-10T08:00:00"}])
    response = upload(owner_client, data)
    refused_with(
        response,
        "kefir.json, batches[0], field “started_at”: '2026-01-10T08:00:00' has no UTC offset",
    )


def test_a_batch_started_in_the_future_is_refused(owner_client):
    data = export_file([{"started_at": moment(-3)}])
    response = upload(owner_client, data)
    refused_with(
        response, "kefir.json, batches[0], field “started_at”: That time is in the future."
    )


def test_a_discard_time_on_a_batch_not_discarded_is_refused_by_field(owner_client):
    # The database refuses it too, which used to be the only check left after the
    # records were checked: the whole file was refused with a wrong reason.
    data = export_file([{"started_at": moment(3), "discarded": False, "discarded_at": moment(2)}])
    response = upload(owner_client, data)
    refused_with(
        response, "batches[0], field “discarded_at”: A batch is discarded after it started."
    )


def test_water_grains_split_from_milk_grains_are_refused(owner_client):
    # The parent is in the same file, not saved yet when the file is checked.
    data = export_file()
    data["cultures"].append({"ref": 2, "parent": 1, "name": "Tibicos", "kind": "water"})
    response = upload(owner_client, data)
    refused_with(response, "kefir.json, cultures[1], field “parent”: The parent grains are")


def test_a_milk_batch_of_water_grains_in_the_same_file_is_refused(owner_client):
    data = export_file([{"started_at": moment(3)}])
    data["cultures"][0]["kind"] = "water"
    response = upload(owner_client, data)
    refused_with(response, "batches[0], field “base”: Babushka are water kefir grains")


def test_a_tasting_before_its_batch_started_is_refused(owner_client):
    data = export_file(
        [{"started_at": moment(3), "strained_at": moment(2)}],
        tasting_notes=[{"batch": 1, "tasted_at": moment(4), "rating": 4}],
    )
    response = upload(owner_client, data)
    refused_with(response, "tasting_notes[0], field “tasted_at”: It cannot be tasted before")


def test_two_grains_of_one_name_in_a_file_are_refused(owner_client):
    data = export_file()
    data["cultures"].append({"ref": 2, "parent": None, "name": " babushka ", "kind": "milk"})
    response = upload(owner_client, data)
    refused_with(response, "cultures[1], field “name”: cultures[0] in this file has this name")


def test_a_batch_number_given_twice_for_one_grains_is_refused(owner_client):
    data = export_file(
        [
            {"number": 7, "started_at": moment(5), "strained_at": moment(4)},
            {"number": 7, "started_at": moment(3), "strained_at": moment(2)},
        ]
    )
    response = upload(owner_client, data)
    refused_with(
        response, "batches[1], field “number”: These grains already have a batch with this number."
    )


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("batches.csv", b"started,strained,hours\n2026-01-10 08:00,,\n"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
        ("shopping.txt", b"milk, sugar, ginger"),
    ],
)
def test_a_file_that_is_not_json_is_told_so_next_to_the_file_field(owner_client, name, raw):
    response = upload(owner_client, raw, name)
    assert response.status_code == 200
    assert f"{name} is not a Kefir Tracker export (JSON)" in error_next_to_the_file_field(response)
    assert "Expecting value" not in response.text
    assert not Culture.objects.exists()


def test_the_command_refuses_bad_values_as_the_page_does(tmp_path, owner):
    bad = tmp_path / "old.json"
    data = export_file([{"started_at": "2026-01-10T08:00:00"}])
    data["cultures"][0]["acquired_on"] = "0001-01-01"
    bad.write_text(json.dumps(data))
    with pytest.raises(CommandError) as refusal:
        call_command("import_data", owner.username, str(bad))
    assert "old.json, cultures[0], field “acquired_on”: That is before 1900" in str(refusal.value)
    assert not Culture.objects.exists()


# ---- one batch fermenting per grains ----


def test_grains_fermenting_two_batches_in_a_file_strain_the_first_when_the_second_started(
    owner_client, owner
):
    data = export_file([{"started_at": moment(3)}, {"started_at": moment(1)}])
    response = upload(owner_client, data)
    assert response.status_code == 302
    first, second = Batch.objects.for_user(owner).order_by("started_at")
    assert first.strained_at == second.started_at
    assert second.strained_at is None
    page = owner_client.get(reverse("archive:your_data")).text
    assert "1 batch still fermenting when the same grains started another is taken as" in page


def test_an_older_running_batch_in_the_file_is_strained_when_the_accounts_own_started(
    owner_client, owner
):
    babushka = make_culture(owner, "Babushka")
    running = make_batch(babushka, started_at=timezone.now() - timedelta(hours=5))
    data = export_file([{"started_at": moment(3)}])
    assert upload(owner_client, data).status_code == 302
    imported = Batch.objects.exclude(pk=running.pk).get()
    running.refresh_from_db()
    assert imported.strained_at == running.started_at
    assert running.strained_at is None  # the account's own batch is left as it was


def test_a_running_batch_newer_than_the_accounts_own_is_refused_with_why(owner_client, owner):
    babushka = make_culture(owner, "Babushka")
    make_batch(babushka, started_at=timezone.now() - timedelta(days=3))
    data = export_file([{"started_at": moment(1)}])
    response = upload(owner_client, data)
    assert response.status_code == 200
    assert "batches[0]: Babushka are already fermenting a batch here (#1" in response.text
    assert Batch.objects.count() == 1


# ---- batch numbers ----


def test_grains_the_import_creates_keep_the_files_batch_numbers(owner_client, owner):
    data = export_file(
        [
            {"number": 41, "started_at": moment(5), "strained_at": moment(4)},
            {"number": 42, "started_at": moment(3), "strained_at": moment(2)},
        ]
    )
    assert upload(owner_client, data).status_code == 302
    assert list(Batch.objects.order_by("started_at").values_list("number", flat=True)) == [41, 42]


def test_batches_for_grains_already_here_take_their_next_numbers(owner_client, owner):
    babushka = make_culture(owner, "Babushka")
    make_batch(babushka, started_at=timezone.now() - timedelta(days=30))
    make_batch(babushka, started_at=timezone.now() - timedelta(days=20))
    data = export_file(
        [
            {"number": 1, "started_at": moment(5), "strained_at": moment(4)},
            {"number": 2, "started_at": moment(3), "strained_at": moment(2)},
        ]
    )
    assert upload(owner_client, data).status_code == 302
    numbers = Batch.objects.filter(culture=babushka).order_by("started_at")
    assert list(numbers.values_list("number", flat=True)) == [1, 2, 3, 4]


def test_an_export_from_before_batch_numbers_numbers_them_in_start_order(owner_client, owner):
    data = export_file(
        [
            {"started_at": moment(3), "strained_at": moment(2)},
            {"started_at": moment(9), "strained_at": moment(8)},
        ]
    )
    assert upload(owner_client, data).status_code == 302
    numbers = Batch.objects.order_by("started_at").values_list("number", flat=True)
    assert list(numbers) == [1, 2]


def test_imported_ids_never_reuse_a_deleted_rows(owner_client, owner):
    gone = make_batch(make_culture(owner, "Gone"), started_at=timezone.now() - timedelta(days=9))
    gone_pk = gone.pk
    gone.delete()
    assert upload(owner_client, export_file([{"started_at": moment(3)}])).status_code == 302
    assert Batch.objects.get().pk > gone_pk


# ---- one import at a time ----


def test_an_upload_while_the_same_file_is_being_imported_is_told_so(owner_client, owner):
    raw = json.dumps(export_file([{"started_at": moment(3)}])).encode()
    ImportUnderWay.objects.create(
        owner=owner,
        file_sha256=hashlib.sha256(raw).hexdigest(),
        filename="kefir.json",
        started_at=timezone.now() - timedelta(seconds=5),
    )
    response = upload(owner_client, raw)
    assert response.status_code == 200
    assert "kefir.json is already being imported" in error_next_to_the_file_field(response)
    assert not Culture.objects.exists()


def test_an_upload_while_another_file_is_being_imported_waits_its_turn(owner_client, owner):
    ImportUnderWay.objects.create(
        owner=owner, file_sha256="0" * 64, filename="other.json", started_at=timezone.now()
    )
    response = upload(owner_client, export_file())
    assert "Another import into your account is under way" in error_next_to_the_file_field(response)
    assert not Culture.objects.exists()


def test_a_claim_left_by_a_crashed_import_lapses(owner_client, owner):
    ImportUnderWay.objects.create(
        owner=owner,
        file_sha256="0" * 64,
        filename="crashed.json",
        started_at=timezone.now() - timedelta(hours=1),
    )
    assert upload(owner_client, export_file()).status_code == 302
    assert Culture.objects.count() == 1
    assert not ImportUnderWay.objects.exists()


def test_another_persons_import_does_not_hold_up_yours(owner_client, owner):
    ImportUnderWay.objects.create(
        owner=make_user("neighbour"), file_sha256="0" * 64, started_at=timezone.now()
    )
    assert upload(owner_client, export_file()).status_code == 302


def test_a_refused_import_lets_the_next_one_through(owner_client, owner):
    data = export_file([{"started_at": "2026-01-10T08:00:00"}])
    assert upload(owner_client, data).status_code == 200
    assert not ImportUnderWay.objects.exists()
    assert upload(owner_client, export_file()).status_code == 302


def test_grains_of_the_same_name_added_while_the_file_was_checked_refuse_it_plainly(
    owner_client, owner, monkeypatch
):
    # Another tab adds "Babushka" after the file was checked and before it is written.
    from kefir_tracker.archive import importing

    write = importing._Importer.write

    def someone_adds_grains_first(importer):
        make_culture(owner, "Babushka")
        return write(importer)

    monkeypatch.setattr(importing._Importer, "write", someone_adds_grains_first)
    response = upload(owner_client, export_file([{"started_at": moment(3)}]))
    assert response.status_code == 200
    assert "changed while the file was being checked" in error_next_to_the_file_field(response)
    assert Culture.objects.count() == 1
    assert not Batch.objects.exists()
    assert not ImportUnderWay.objects.exists()

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch, TastingNote
from kefir_tracker.grains.models import Culture, Kind, Weighing
from tests.factories import make_batch, make_culture, make_tasting, make_user, make_weighing


@pytest.fixture
def history(owner):
    owner.temperature_unit = "F"
    owner.time_zone = "Europe/Warsaw"
    owner.save()
    root = make_culture(owner, "Babushka", source="Grandma Vera")
    child = make_culture(owner, "Babushka II", parent=root)
    grandchild = make_culture(owner, "Little B", parent=child)
    water = make_culture(owner, "Tibicos", kind=Kind.WATER)
    make_weighing(root, 31.5)
    started = timezone.now() - timedelta(days=3)
    batch = make_batch(
        grandchild,
        started_at=started,
        strained_at=started + timedelta(hours=21),
        notes='=HYPERLINK("x") thick ✨ כפיר',
    )
    make_tasting(batch, rating=5, sourness=2, notes="tangy")
    make_batch(water, started_at=started)
    return root


def export(client):
    response = client.get(reverse("archive:export_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="kefir-')
    return json.loads(response.content)


def upload(client, payload, name="kefir.json"):
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.post(reverse("archive:your_data"), {"file": SimpleUploadedFile(name, raw)})


def test_the_export_holds_lineage_batches_tastings_weighings_and_preferences(owner_client, history):
    data = export(owner_client)
    names = {c["ref"]: c["name"] for c in data["cultures"]}
    little_b = next(c for c in data["cultures"] if c["name"] == "Little B")
    assert data["format"] == "kefir-tracker"
    assert data["version"] == 1
    assert names[little_b["parent"]] == "Babushka II"
    assert data["preferences"] == {
        "time_zone": "Europe/Warsaw",
        "clock_hours": "24",
        "date_order": "dm",
        "temperature_unit": "F",
        "volume_unit": "ml",
    }
    assert len(data["batches"]) == 2
    assert data["tasting_notes"][0]["rating"] == 5
    assert data["weighings"][0]["grams"] == "31.5"


def test_the_export_never_contains_anyone_elses_data(owner_client, history, other_user):
    make_batch(make_culture(other_user, "Not yours"), notes="secret")
    text = json.dumps(export(owner_client))
    assert "Not yours" not in text
    assert "secret" not in text


def test_importing_an_export_into_an_empty_account_restores_everything(
    client, owner_client, history
):
    original = export(owner_client)
    newcomer = make_user("newcomer")
    client.force_login(newcomer)

    response = upload(client, original)

    assert response.status_code == 302
    assert Culture.objects.for_user(newcomer).count() == 4
    assert Batch.objects.for_user(newcomer).count() == 2
    assert TastingNote.objects.for_user(newcomer).count() == 1
    little_b = Culture.objects.for_user(newcomer).get(name="Little B")
    assert little_b.parent.parent.name == "Babushka"
    assert export(client) == original
    assert "Imported 4 cultures" in client.get(reverse("archive:your_data")).text


def test_importing_the_same_file_twice_merges_without_duplicates(owner_client, history):
    data = export(owner_client)

    response = upload(owner_client, data)

    assert response.status_code == 302
    assert Culture.objects.count() == 4
    assert Batch.objects.count() == 2
    assert Weighing.objects.count() == 1
    assert "already here, left as they were" in owner_client.get(reverse("archive:your_data")).text


def test_a_malformed_file_is_refused_with_where_it_broke(owner_client, owner):
    response = upload(owner_client, b'{"format": "kefir-tracker",\n "version": 1,,}', "mine.json")
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert "mine.json: not valid JSON (line 2" in response.text
    assert not Culture.objects.exists()


def test_a_file_from_another_app_is_refused(owner_client, owner):
    response = upload(owner_client, {"recipes": []})
    assert "not a Kefir Tracker export" in response.text


def test_one_bad_record_refuses_the_whole_file_naming_record_and_field(
    client, owner_client, history
):
    data = export(owner_client)
    data["batches"][1]["volume_ml"] = "-250"
    data["tasting_notes"][0]["rating"] = 9
    client.force_login(make_user("newcomer"))

    response = upload(client, data, "restore.json")

    assert response.status_code == 200
    assert (
        "restore.json, batches[1], field “volume_ml”: Volume must be more than 0" in response.text
    )
    assert "restore.json, tasting_notes[0], field “rating”: Rating is from 1 to 5" in response.text
    assert Culture.objects.count() == 4  # only the owner's own
    assert Batch.objects.count() == 2


def test_a_link_to_a_record_that_is_not_there_is_refused(client, owner_client, history):
    data = export(owner_client)
    data["batches"][0]["culture"] = 99
    client.force_login(make_user("newcomer"))
    response = upload(client, data)
    assert "batches[0], field “culture”: refers to cultures ref 99" in response.text
    assert Culture.objects.count() == 4


def test_the_csv_has_one_row_per_batch_with_generation_and_local_times(owner_client, history):
    response = owner_client.get(reverse("archive:export_csv"))
    text = response.content.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    strained = next(r for r in rows if r["grains"] == "Little B")
    batch = Batch.objects.get(culture__name="Little B")
    local = timezone.localtime(batch.started_at, timezone.get_fixed_timezone(0))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert text.startswith("\ufeff")
    assert len(rows) == 2
    assert strained["generation"] == "2"
    assert strained["hours"] == "21.0"
    assert strained["best_rating"] == "5"
    assert strained["notes"].startswith("'=HYPERLINK")
    assert "כפיר" in strained["notes"]
    assert strained["started"] != local.strftime("%Y-%m-%d %H:%M")  # Warsaw, not UTC


def test_the_data_page_says_imports_merge(owner_client):
    response = owner_client.get(reverse("archive:your_data"))
    assert response.status_code == 200
    assert "Nothing you already have is changed or doubled" in response.text


def test_commands_export_and_import_a_whole_account(tmp_path, history, owner):
    from django.core.management import call_command

    target = tmp_path / "olga.json"
    call_command("export_data", owner.username, "--output", str(target))
    newcomer = make_user("newcomer")
    out = io.StringIO()
    call_command("import_data", newcomer.username, str(target), stdout=out)
    again = tmp_path / "again.json"
    call_command("export_data", newcomer.username, "--output", str(again))

    assert "Imported 4 cultures" in out.getvalue()
    assert json.loads(again.read_text()) == json.loads(target.read_text())


def test_the_import_command_refuses_a_bad_file_and_says_why(tmp_path, owner):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": "kefir-tracker",
                "version": 1,
                "cultures": [{"ref": 1, "name": "", "kind": "lava"}],
            }
        )
    )
    with pytest.raises(CommandError) as refusal:
        call_command("import_data", owner.username, str(bad))
    assert "bad.json, cultures[0], field “kind”" in str(refusal.value)
    assert not Culture.objects.exists()


def test_grams_keep_their_decimals_through_a_round_trip(client, owner_client, owner):
    make_weighing(make_culture(owner), Decimal("12.3"))
    data = export(owner_client)
    client.force_login(make_user())
    upload(client, data)
    assert sorted(Weighing.objects.values_list("grams", flat=True)) == [Decimal("12.3")] * 2


def test_importing_into_an_account_with_data_keeps_its_preferences(client, owner_client, history):
    from_olga = export(owner_client)  # Warsaw, °F, ml
    friend = make_user("friend", time_zone="Asia/Tokyo", temperature_unit="C", volume_unit="cup")
    make_culture(friend, "Kefir from Kyoto")
    client.force_login(friend)

    assert upload(client, from_olga).status_code == 302

    account = client.get(reverse("accounts:account")).text
    assert 'value="Asia/Tokyo" selected' in account
    assert 'value="C" checked' in account or 'value="C" selected' in account
    assert Culture.objects.for_user(friend).count() == 5  # the merge itself happened


def test_the_import_picker_offers_json_files(owner_client):
    page = owner_client.get(reverse("archive:your_data")).text
    assert 'accept=".json,application/json"' in page

"""The import upload (/account/data/) against broken files and bad values in every field of
every record: refused with a message (or imported whole when the value is fine), never a
500, and nothing half-written.

The fields tried are the ones the export writes (exchange.data_fields), so a field added
to a model later is tried too.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.urls import reverse

from kefir_tracker.archive.exchange import SECTIONS, data_fields
from tests.bad_input import (
    EMOJI,
    HUGE_TEXT,
    IMG,
    RTL,
    SCRIPT,
    invalid_rows,
    shows_an_error,
    snapshot,
)

VALID = {
    "format": "kefir-tracker",
    "version": 1,
    "preferences": {"time_zone": "Europe/Berlin", "temperature_unit": "C", "volume_unit": "ml"},
    "cultures": [
        {"ref": 1, "parent": None, "name": "Babushka", "kind": "milk", "acquired_on": "2026-01-05"}
    ],
    "weighings": [{"culture": 1, "weighed_at": "2026-01-10T09:00:00+00:00", "grams": "31.5"}],
    "status_changes": [
        {
            "culture": 1,
            "status": "resting",
            "changed_at": "2026-01-12T08:00:00+00:00",
            "from_status": "active",
            "from_changed_at": "2026-01-05T08:00:00+00:00",
        }
    ],
    "batches": [
        {
            "ref": 1,
            "culture": 1,
            "base": "cow",
            "volume_ml": "500.0",
            "grains_in_g": "25.0",
            "started_at": "2026-01-10T08:00:00+00:00",
            "strained_at": "2026-01-11T08:00:00+00:00",
            "notes": "thick",
        }
    ],
    "tasting_notes": [{"batch": 1, "tasted_at": "2026-01-11T09:00:00+00:00", "rating": 4}],
    "received_lineages": [
        {
            "culture": 1,
            "via": "file",
            "given_by": "Vera",
            "given_name": "Kefirchik",
            "given_generation": 1,
            "ancestors": [{"name": "Old Kefir", "generation": 0, "origin": "the market"}],
            "received_at": "2026-01-05T08:00:00+00:00",
        }
    ],
}
# Tried in every field, and by the kind of field.
ANY_FIELD = [None, "", {}, True, SCRIPT]
BY_KIND = {
    "number": [-1, 1e308, 10**30, "abc"],
    "moment": [20260110, "0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00", "2026-02-30"],
    "text": [EMOJI, RTL, IMG, HUGE_TEXT, "a\x00b"],  # NUL: PostgreSQL refuses it
}


def json_values(field):
    if isinstance(field, models.DateField):  # DateTimeField is one too
        kind = "moment"
    elif isinstance(field, models.CharField | models.TextField):
        kind = "text"
    else:
        kind = "number"
    return ANY_FIELD + BY_KIND[kind]


BROKEN_FILES = {
    "empty": b"",
    "not UTF-8": b"\xff\xfe\x00garbage\x80",
    "a JSON list": b"[]",
    "JSON null": b"null",
    "nested a million deep": b'{"a": ' * 1_000_000 + b"1" + b"}" * 1_000_000,
    "a number too big for a float": b'{"format": "kefir-tracker", "version": 1e400}',
    "version as a list": b'{"format": "kefir-tracker", "version": [1]}',
    "sections as objects": json.dumps({**VALID, "cultures": {"a": 1}}).encode(),
    "records as strings": json.dumps({**VALID, "batches": ["batch"]}).encode(),
    "preferences as a list": json.dumps({**VALID, "preferences": ["C"]}).encode(),
    "a ref that is a list": json.dumps(
        {**VALID, "cultures": [{**VALID["cultures"][0], "ref": [1]}]}
    ).encode(),
    "a link that is an object": json.dumps(
        {**VALID, "weighings": [{**VALID["weighings"][0], "culture": {"ref": 1}}]}
    ).encode(),
    "an unknown field": json.dumps(
        {**VALID, "batches": [{**VALID["batches"][0], "owner": 2}]}
    ).encode(),
}


def upload(client, raw, name="kefir.json"):
    return client.post(reverse("archive:your_data"), {"file": SimpleUploadedFile(name, raw)})


def import_judged(client, raw, label):
    """Upload ``raw`` in a rolled-back savepoint; what went wrong, if anything."""
    with transaction.atomic():
        failures = judge(client, raw, label)
        transaction.set_rollback(True)
    return failures


def judge(client, raw, label):
    before = snapshot()
    try:
        response = upload(client, raw)
    except Exception as error:  # the test client re-raises what would be a 500
        return [f"{label}: server error {error!r}"]
    if response.status_code == 302:
        return [f"{label}: imported a row that breaks a rule: {p}" for p in invalid_rows()]
    if response.status_code != 200 or not shows_an_error(response):
        return [f"{label}: status {response.status_code} without a message saying why"]
    if snapshot() != before:
        return [f"{label}: refused, but something was written"]
    return []


def test_the_valid_file_imports(owner_client):
    response = upload(owner_client, json.dumps(VALID).encode())
    assert response.status_code == 302
    assert invalid_rows() == []


@pytest.mark.parametrize("broken", BROKEN_FILES)
def test_a_broken_file_is_refused_with_a_message(owner_client, broken):
    failures = import_judged(owner_client, BROKEN_FILES[broken], broken)
    assert not failures, "\n".join(failures)


def test_an_upload_without_a_file_says_so(owner_client):
    response = owner_client.post(reverse("archive:your_data"), {})
    assert response.status_code == 200
    assert "This field is required." in response.text


@pytest.mark.parametrize(("section", "model"), [(s, m) for s, m, _, _ in SECTIONS])
def test_every_field_of_every_record_refuses_bad_values(owner_client, section, model):
    failures = []
    for field in data_fields(model):
        for value in json_values(field):
            record = {**VALID[section][0], field.name: value}
            raw = json.dumps({**VALID, section: [record]}).encode()
            failures += import_judged(owner_client, raw, f"{section}.{field.name}={value!r:.40}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", ["time_zone", "temperature_unit", "volume_unit"])
def test_every_preference_refuses_bad_values(owner_client, name):
    failures = []
    for value in ANY_FIELD + BY_KIND["text"]:
        raw = json.dumps({**VALID, "preferences": {name: value}}).encode()
        failures += import_judged(owner_client, raw, f"preferences.{name}={value!r:.40}")
    assert not failures, "\n".join(failures)


def test_a_date_written_as_a_number_is_refused_naming_record_and_field(owner_client):
    # Used to be a 500: Django's date parsing raises TypeError for a number.
    record = {"culture": 1, "weighed_on": 20260110, "grams": "31.5"}  # an older export
    response = upload(owner_client, json.dumps({**VALID, "weighings": [record]}).encode())
    assert response.status_code == 200
    assert "kefir.json, weighings[0], field “weighed_on”: 20260110 is not a valid value" in (
        response.text
    )


def test_a_file_nested_too_deep_for_the_parser_is_refused(owner_client):
    # Used to be a 500: RecursionError from the JSON parser.
    response = upload(owner_client, BROKEN_FILES["nested a million deep"])
    assert response.status_code == 200
    assert "kefir.json: nested too deeply to be an export." in response.text

"""Weighings keep their time through an export and import; exports from before
weighings had a time (a day only) still import."""

import json
import zoneinfo
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.grains.models import Culture, Weighing
from tests.factories import make_culture, make_user, make_weighing


def export(client):
    response = client.get(reverse("archive:export_json"))
    assert response.status_code == 200
    return json.loads(response.content)


def upload(client, payload):
    raw = json.dumps(payload).encode()
    return client.post(reverse("archive:your_data"), {"file": SimpleUploadedFile("k.json", raw)})


def test_a_round_trip_keeps_the_time_of_each_weighing(client, owner_client, owner):
    culture = make_culture(owner, "Babushka")
    morning = timezone.now().replace(microsecond=0) - timedelta(days=2, hours=3, minutes=17)
    make_weighing(culture, 31.5, weighed_at=morning)
    make_weighing(culture, 20, weighed_at=morning + timedelta(minutes=5))  # a split

    data = export(owner_client)
    assert [w["weighed_at"] for w in data["weighings"]] == [
        morning.isoformat(),
        (morning + timedelta(minutes=5)).isoformat(),
    ]
    client.force_login(make_user("newcomer"))
    assert upload(client, data).status_code == 302

    copied = Culture.objects.get(owner__username="newcomer", name="Babushka")
    assert list(copied.weighings.order_by("weighed_at").values_list("weighed_at", "grams")) == [
        (morning, 31.5),
        (morning + timedelta(minutes=5), 20),
    ]
    assert export(client)["weighings"] == data["weighings"]


def old_export(time_zone, weighed_on):
    return {
        "format": "kefir-tracker",
        "version": 1,
        "preferences": {"time_zone": time_zone, "temperature_unit": "C", "volume_unit": "ml"},
        "cultures": [{"ref": 1, "parent": None, "name": "Babushka", "kind": "milk"}],
        "weighings": [{"culture": 1, "weighed_on": weighed_on, "grams": "31.5"}],
    }


def test_an_export_with_weighing_days_imports_them_at_noon_in_the_persons_zone(owner_client):
    response = upload(owner_client, old_export("Asia/Tokyo", "2026-01-10"))

    assert response.status_code == 302
    weighing = Weighing.objects.get()
    noon_in_tokyo = datetime.combine(date(2026, 1, 10), time(12), zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert weighing.weighed_at == noon_in_tokyo
    assert "Imported 1 cultures, 1 weighings" in owner_client.get(reverse("archive:your_data")).text


def test_importing_an_old_export_again_doubles_no_weighing(owner_client, owner):
    old = old_export("UTC", "2026-01-10")
    upload(owner_client, old)
    upload(owner_client, old)
    assert Weighing.objects.count() == 1


def test_an_old_export_with_a_bad_weighing_day_is_refused_naming_the_field(owner_client):
    response = upload(owner_client, old_export("UTC", "10/01/2026"))

    assert response.status_code == 200
    assert "weighings[0], field “weighed_on”" in response.text
    assert not Culture.objects.exists()

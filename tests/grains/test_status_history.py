"""Every change of status is kept with its date, and a one-tap change can be taken back."""

import json
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.grains.models import Culture, Status, StatusChange
from tests.factories import make_culture, make_user
from tests.grains.conftest import HTMX


def change(client, culture, status, **extra):
    return client.post(reverse("grains:status", args=[culture.pk]), {"status": status}, **extra)


def undo(client, culture, **extra):
    return client.post(reverse("grains:undo_status", args=[culture.pk]), **extra)


def history_on_page(client, culture) -> list[str]:
    """The status history as the culture page lists it, newest first."""
    page = client.get(culture.get_absolute_url()).content.decode()
    if 'id="status-history-title"' not in page:
        return []
    section = page.split('id="status-history-title"', 1)[1].split("</section>", 1)[0]
    items = section.split("<li>")[1:]
    return [item.split("</time>", 1)[1].split("</li>", 1)[0].strip() for item in items]


def test_reviving_given_away_grains_keeps_who_got_them_in_the_history(owner_client, culture):
    owner_client.post(reverse("grains:give_away", args=[culture.pk]), {"given_to": "Masha"})
    change(owner_client, culture, Status.ACTIVE)

    culture.refresh_from_db()
    assert culture.status == Status.ACTIVE
    assert history_on_page(owner_client, culture) == ["Revived", "Given to Masha"]


def test_each_change_is_listed_with_its_day(owner_client, culture):
    change(owner_client, culture, Status.RESTING)
    change(owner_client, culture, Status.DRIED)
    page = owner_client.get(culture.get_absolute_url()).content.decode()
    assert history_on_page(owner_client, culture) == ["Dried", "Rested in the fridge"]
    today = timezone.localdate()
    assert page.count(f"{today.day} {today:%b}</time>") == 2


def test_a_fresh_change_offers_undo_and_undo_puts_everything_back(owner_client, culture):
    change(owner_client, culture, Status.RESTING)
    culture.refresh_from_db()
    rested_at, milk_at = culture.status_changed_at, culture.rest_milk_changed_at
    change(owner_client, culture, Status.DRIED)

    page = owner_client.get(culture.get_absolute_url()).content.decode()
    assert "Dried at " in page
    assert reverse("grains:undo_status", args=[culture.pk]) in page

    response = undo(owner_client, culture)
    assert response.status_code == 302
    culture.refresh_from_db()
    assert culture.status == Status.RESTING
    assert (culture.status_changed_at, culture.rest_milk_changed_at) == (rested_at, milk_at)
    page = owner_client.get(response.url).content.decode()
    assert "Took back “Dried”: Babushka are resting in the fridge again." in page
    assert history_on_page(owner_client, culture) == ["Rested in the fridge"]


def test_undo_with_htmx_answers_with_the_panel(owner_client, culture):
    change(owner_client, culture, Status.RETIRED, **HTMX)
    response = undo(owner_client, culture, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="culture-panel"' in html
    said = json.loads(response["HX-Trigger-After-Settle"])["kefir:done"]
    assert said["message"] == "Took back “Retired”: Babushka are active again."
    assert Culture.objects.get(pk=culture.pk).status == Status.ACTIVE


def test_each_undo_takes_back_one_change(owner_client, culture):
    change(owner_client, culture, Status.RESTING)
    change(owner_client, culture, Status.ACTIVE)

    undo(owner_client, culture)
    assert Culture.objects.get(pk=culture.pk).status == Status.RESTING
    assert history_on_page(owner_client, culture) == ["Rested in the fridge"]
    undo(owner_client, culture)
    assert Culture.objects.get(pk=culture.pk).status == Status.ACTIVE
    assert history_on_page(owner_client, culture) == []


def test_an_old_change_can_no_longer_be_undone(owner_client, culture):
    change(owner_client, culture, Status.DRIED)
    StatusChange.objects.update(changed_at=timezone.now() - timedelta(minutes=11))

    page = owner_client.get(culture.get_absolute_url()).content.decode()
    assert reverse("grains:undo_status", args=[culture.pk]) not in page
    response = undo(owner_client, culture)
    assert "There is no recent change of status to undo." in owner_client.get(response.url).text
    culture.refresh_from_db()
    assert culture.status == Status.DRIED
    assert history_on_page(owner_client, culture) == ["Dried"]


def test_nobody_else_can_undo_or_see_the_history(owner_client, culture, client):
    change(owner_client, culture, Status.DRIED)
    client.force_login(make_user("mallory"))
    assert undo(client, culture).status_code == 404
    assert Culture.objects.get(pk=culture.pk).status == Status.DRIED


def test_a_split_that_leaves_nothing_retires_the_parent_in_the_history(owner_client, culture):
    fields = {"total_g": "20", "name_1": "For Masha", "grams_1": "20"}
    owner_client.post(reverse("grains:split", args=[culture.pk]), fields)
    assert history_on_page(owner_client, culture) == ["Retired"]


def test_the_history_goes_out_in_the_export_and_comes_back_in(owner_client, client, owner):
    culture = make_culture(owner, "Kefirko")
    owner_client.post(reverse("grains:give_away", args=[culture.pk]), {"given_to": "Masha"})
    exported = json.loads(owner_client.get(reverse("archive:export_json")).content)
    assert [(c["status"], c["given_to"]) for c in exported["status_changes"]] == [
        ("given_away", "Masha")
    ]

    newcomer = make_user("newcomer")
    client.force_login(newcomer)
    raw = json.dumps(exported).encode()
    client.post(reverse("archive:your_data"), {"file": SimpleUploadedFile("k.json", raw)})
    restored = Culture.objects.get(owner=newcomer, name="Kefirko")
    assert history_on_page(client, restored) == ["Given to Masha"]
    # Imported twice: the history is not doubled.
    client.post(reverse("archive:your_data"), {"file": SimpleUploadedFile("k.json", raw)})
    assert history_on_page(client, restored) == ["Given to Masha"]

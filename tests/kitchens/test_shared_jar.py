"""Two members of one kitchen log into the same jar and see each other's batches."""

import re

from django.test import Client
from django.urls import reverse

from kefir_tracker.accounts.models import User
from kefir_tracker.batches.models import Batch
from tests.factories import make_batch, make_culture, make_user
from tests.kitchens.conftest import invitation_code, join


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))


def test_two_members_log_into_one_jar(owner_client, owner):
    pavel = make_user("pavel")
    pavel_client = join(pavel, invitation_code(owner_client))
    babushka = make_culture(owner, "Babushka")

    # Olga starts a batch from Today; Pavel strains it from his phone.
    start = owner_client.post(
        reverse("batches:start", args=[babushka.pk]),
        {"base": "cow", "volume_ml": "500", "grains_in_g": "25", "room_temp_c": "22"},
    )
    assert start.status_code == 302
    batch = Batch.objects.get()
    assert pavel_client.get(reverse("batches:today")).text.count(f'id="batch-{batch.pk}"') == 1
    strain = pavel_client.post(reverse("batches:strain", args=[batch.pk]), {})
    assert strain.status_code == 302
    taste = owner_client.post(reverse("batches:taste", args=[batch.pk]), {"rating": "5"})
    assert taste.status_code == 302

    batch.refresh_from_db()
    assert (batch.owner, batch.strained_by) == (owner, pavel)
    assert batch.tasting_notes.get().author == owner
    for client in (owner_client, pavel_client):
        timeline = text_of(client.get(batch.get_absolute_url()))
        assert "Started by olga" in timeline
        assert "Strained by pavel" in timeline
        assert "Tasted by olga: 5/5" in timeline


def test_each_member_sees_the_others_batches_on_today_and_history(owner_client, owner):
    pavel = make_user("pavel")
    pavel_client = join(pavel, invitation_code(owner_client))
    hers = make_batch(make_culture(owner, "Babushka"), notes="Olga's jar")
    # Pavel adds grains of his own to the shared kitchen and starts a jar.
    added = pavel_client.post(
        reverse("grains:create"),
        {"name": "Tibi", "kind": "water", "origin": "bought", "acquired_on": "2026-01-05"},
    )
    assert added.status_code == 302
    tibi = pavel.cultures.get()
    assert tibi.kitchen_id == owner.current_kitchen_id
    started = pavel_client.post(
        reverse("batches:start", args=[tibi.pk]),
        {"base": "water", "volume_ml": "1000", "grains_in_g": "50", "sugar_g": "50"},
    )
    assert started.status_code == 302
    his = Batch.objects.get(culture=tibi)

    for client in (owner_client, pavel_client):
        today = client.get(reverse("batches:today")).text
        history = client.get(reverse("batches:history")).text
        for batch in (hers, his):
            assert f'id="batch-{batch.pk}"' in today
            assert batch.get_absolute_url() in history


def test_a_kitchen_of_one_does_not_name_who_did_it(owner_client, owner):
    batch = make_batch(make_culture(owner, "Babushka"))
    owner_client.post(reverse("batches:strain", args=[batch.pk]), {})
    timeline = text_of(owner_client.get(batch.get_absolute_url()))
    assert "Strained" in timeline
    assert "Strained by" not in timeline


def test_undo_forgets_who_strained_it(owner_client, owner, member_client, member):
    batch = make_batch(make_culture(owner, "Babushka"))
    member_client.post(reverse("batches:strain", args=[batch.pk]), {})
    member_client.post(reverse("batches:undo", args=[batch.pk]), {})
    batch.refresh_from_db()
    assert batch.strained_at is None
    assert batch.strained_by is None


def test_an_outsider_sees_none_of_the_shared_kitchen(client, owner, member):
    batch = make_batch(make_culture(owner, "Babushka"), notes="family jar")
    mallory = make_user("mallory")
    client.force_login(mallory)
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert "family jar" not in client.get(reverse("batches:history")).text
    assert "Babushka" not in client.get(reverse("grains:list")).text


def test_a_removed_member_loses_access_at_once(owner_client, owner, member_client, member):
    batch = make_batch(make_culture(owner, "Babushka"))
    assert member_client.get(batch.get_absolute_url()).status_code == 200
    membership = member.memberships.get(kitchen_id=owner.current_kitchen_id)

    removed = owner_client.post(reverse("kitchens:remove", args=[membership.pk]))

    assert removed.status_code == 302
    assert member_client.get(batch.get_absolute_url()).status_code == 404
    assert member_client.post(reverse("batches:strain", args=[batch.pk]), {}).status_code == 404
    member.refresh_from_db()
    assert member.current_kitchen.name == "pavel's kitchen"  # back in their own
    assert "Babushka" not in member_client.get(reverse("grains:list")).text


def test_a_link_into_another_of_your_kitchens_offers_to_switch(owner, member_client, member):
    batch = make_batch(make_culture(owner, "Babushka"))
    own = member.memberships.exclude(kitchen_id=owner.current_kitchen_id).get().kitchen
    member_client.post(reverse("kitchens:switch"), {"kitchen": own.pk})

    page = member_client.get(batch.get_absolute_url())

    assert page.status_code == 404
    assert "This is in olga&#39;s kitchen" in page.text
    switched = member_client.post(
        reverse("kitchens:switch"),
        {"kitchen": owner.current_kitchen_id, "next": batch.get_absolute_url()},
    )
    assert switched.url == batch.get_absolute_url()
    assert member_client.get(batch.get_absolute_url()).status_code == 200


def test_an_outsider_is_told_nothing_about_which_kitchen(client, owner):
    batch = make_batch(make_culture(owner, "Babushka"))
    client.force_login(make_user("mallory"))
    page = client.get(batch.get_absolute_url())
    assert page.status_code == 404
    assert "olga" not in page.text
    assert "Switch" not in page.text


def test_switching_kitchens_changes_what_every_list_shows(owner, member_client, member):
    make_batch(make_culture(owner, "Babushka"))
    assert "Babushka" in member_client.get(reverse("grains:list")).text
    own = member.memberships.exclude(kitchen_id=owner.current_kitchen_id).get().kitchen
    member_client.post(reverse("kitchens:switch"), {"kitchen": own.pk})
    assert "Babushka" not in member_client.get(reverse("grains:list")).text
    assert "Babushka" not in member_client.get(reverse("batches:history")).text


def test_nobody_switches_into_a_kitchen_they_are_not_in(owner, client):
    mallory = make_user("mallory")
    client.force_login(mallory)
    answer = client.post(reverse("kitchens:switch"), {"kitchen": owner.current_kitchen_id})
    assert answer.status_code == 404
    mallory.refresh_from_db()
    assert mallory.current_kitchen.name == "mallory's kitchen"


def test_every_account_starts_with_a_kitchen_of_its_own(client, db):
    client.post(
        reverse("accounts:sign_up"),
        {"username": "Vera", "password1": "a-kefir-pass-99", "password2": "a-kefir-pass-99"},
    )
    vera = Client()
    user = User.objects.get(username="Vera")
    assert user.current_kitchen.name == "Vera's kitchen"
    assert user.memberships.get().role == "owner"
    vera.force_login(user)
    assert "Vera&#39;s kitchen" in vera.get(reverse("kitchens:kitchen")).text

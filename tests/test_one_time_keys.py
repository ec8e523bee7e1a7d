"""A form sent twice (the answer to the first never reached the phone) saves once.

Each form that creates something carries the hidden one-time key it was shown
with; sending the very same form again answers with what the first one made.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch, TastingNote
from kefir_tracker.grains.models import Culture, Weighing
from tests.batches.conftest import HTMX
from tests.factories import make_batch, make_culture

KEY = re.compile(r'<input type="hidden" name="once" value="([0-9a-f-]{36})"')


def form_key(client, url, form_id="") -> str:
    """The one-time key of the form on the page at ``url`` (of the form ``form_id``, where
    the page has several), as the phone got it."""
    page = client.get(url).content.decode()
    if form_id:
        page = page[page.index(f'<form id="{form_id}"') :]
        page = page[: page.index("</form>")]
    keys = KEY.findall(page)
    assert len(keys) == 1, keys
    return keys[0]


def messages_on(client, response) -> str:
    """The page a browser lands on after the redirect."""
    assert response.status_code == 302, response.status_code
    return client.get(response.url).content.decode()


def test_start_sent_twice_makes_one_batch_and_says_so(owner_client, culture):
    key = form_key(owner_client, f"/?start={culture.pk}")
    fields = {"base": "cow", "volume_ml": "500", "grains_in_g": "25", "once": key}
    url = reverse("batches:start", args=[culture.pk])

    first = messages_on(owner_client, owner_client.post(url, fields))
    again = messages_on(owner_client, owner_client.post(url, fields))

    assert Batch.objects.filter(culture=culture).count() == 1
    assert "Started batch 1 of Babushka in cow milk." in first
    assert "Sent twice, saved once: batch 1 of Babushka." in again
    assert "are fermenting batch" not in again  # not refused as a second start


def test_each_showing_of_the_start_form_has_its_own_key(owner_client, culture):
    url = f"/?start={culture.pk}"
    assert form_key(owner_client, url) != form_key(owner_client, url)


def test_start_sent_twice_with_htmx_shows_the_one_batch(owner_client, culture):
    key = form_key(owner_client, f"/?start={culture.pk}")
    fields = {"base": "cow", "volume_ml": "500", "grains_in_g": "25", "once": key}
    url = reverse("batches:start", args=[culture.pk])
    owner_client.post(url, fields, **HTMX)
    again = owner_client.post(url, fields, **HTMX)
    assert again.status_code == 200
    assert again.content.decode().count('class="card batch-card"') == 1
    assert Batch.objects.filter(culture=culture).count() == 1


def test_a_refused_start_can_be_corrected_and_sent_with_the_same_key(owner_client, culture):
    key = form_key(owner_client, f"/?start={culture.pk}")
    url = reverse("batches:start", args=[culture.pk])
    refused = owner_client.post(
        url, {"base": "cow", "volume_ml": "-5", "grains_in_g": "25", "once": key}
    )
    assert refused.status_code == 200
    assert not Batch.objects.exists()
    # The form comes back with its key, and the corrected form saves.
    assert key in refused.content.decode()
    fields = {"base": "cow", "volume_ml": "500", "grains_in_g": "25", "once": key}
    assert owner_client.post(url, fields).status_code == 302
    assert Batch.objects.filter(culture=culture).count() == 1


def test_two_different_starts_are_two_batches_after_a_strain(owner_client, culture):
    url = reverse("batches:start", args=[culture.pk])
    fields = {"base": "cow", "volume_ml": "500", "grains_in_g": "25"}
    owner_client.post(url, {**fields, "once": form_key(owner_client, f"/?start={culture.pk}")})
    batch = Batch.objects.get()
    owner_client.post(reverse("batches:strain", args=[batch.pk]), {})
    # Today now also offers to bottle the strained batch: the start form's own key.
    key = form_key(owner_client, f"/?start={culture.pk}", form_id=f"start-{culture.pk}")
    owner_client.post(url, {**fields, "once": key})
    assert sorted(Batch.objects.values_list("number", flat=True)) == [1, 2]


def test_a_key_of_another_person_is_not_theirs(owner_client, culture, other_user):
    """Keys are one person's: the same key from someone else makes their own batch."""
    key = form_key(owner_client, f"/?start={culture.pk}")
    fields = {"base": "cow", "volume_ml": "500", "grains_in_g": "25", "once": key}
    owner_client.post(reverse("batches:start", args=[culture.pk]), fields)
    theirs = make_culture(other_user, "Mallory's")
    owner_client.force_login(other_user)
    owner_client.post(reverse("batches:start", args=[theirs.pk]), fields)
    assert Batch.objects.filter(culture=theirs).count() == 1
    assert Batch.objects.filter(culture=culture).count() == 1


def test_tasting_note_sent_twice_is_one_note(owner_client, culture):
    batch = make_batch(culture, strained_at=timezone.now() - timedelta(hours=1))
    key = form_key(owner_client, f"{batch.get_absolute_url()}?form=taste")
    fields = {"rating": "4", "notes": "tangy", "once": key}
    url = reverse("batches:taste", args=[batch.pk])
    owner_client.post(url, fields)
    again = messages_on(owner_client, owner_client.post(url, fields))
    assert TastingNote.objects.filter(batch=batch).count() == 1
    assert "Sent twice, saved once: the tasting note." in again


def test_weighing_sent_twice_is_one_weighing(owner_client, culture):
    key = form_key(owner_client, f"{culture.get_absolute_url()}?form=weigh")
    now = f"{timezone.localtime():%Y-%m-%dT%H:%M}"
    fields = {"grams": "31", "weighed_at": now, "once": key}
    url = reverse("grains:weigh", args=[culture.pk])
    owner_client.post(url, fields)
    again = messages_on(owner_client, owner_client.post(url, fields))
    assert Weighing.objects.filter(culture=culture).count() == 1
    assert "Sent twice, saved once: Babushka weighed 31 g." in again


def test_split_sent_twice_is_one_split(owner_client, culture):
    key = form_key(owner_client, f"{culture.get_absolute_url()}?form=split")
    fields = {"total_g": "40", "name_1": "For Masha", "grams_1": "10", "once": key}
    url = reverse("grains:split", args=[culture.pk])
    owner_client.post(url, fields)
    again = messages_on(owner_client, owner_client.post(url, fields))
    assert list(Culture.objects.filter(parent=culture).values_list("name", flat=True)) == [
        "For Masha"
    ]
    assert "Sent twice, saved once: the split of Babushka." in again
    assert "You already have grains called" not in again
    # The remainder was weighed once, not twice.
    assert list(culture.weighings.values_list("grams", flat=True)) == [30]


def test_new_grains_sent_twice_are_added_once(owner_client, owner):
    key = form_key(owner_client, reverse("grains:create"))
    fields = {
        "name": "Kefirko",
        "kind": "milk",
        "origin": "bought",
        "acquired_on": timezone.localdate().isoformat(),
        "once": key,
    }
    first = owner_client.post(reverse("grains:create"), fields)
    again = owner_client.post(reverse("grains:create"), fields)
    culture = Culture.objects.get(owner=owner)
    assert first.url == again.url == culture.get_absolute_url()
    page = owner_client.get(again.url).content.decode()
    assert "Sent twice, saved once: Kefirko." in page
    assert "You already have grains with this name" not in page


@pytest.mark.parametrize(
    "key", ["", "not-a-key", "nul\x00byte", "６f1c2f4e-8d0a-4a57-9c35-0d6b1f3a9e21"]
)
def test_a_missing_or_mangled_key_still_saves(owner_client, culture, key):
    fields = {"base": "cow", "volume_ml": "500", "grains_in_g": "25", "once": key}
    response = owner_client.post(reverse("batches:start", args=[culture.pk]), fields)
    assert response.status_code == 302
    assert Batch.objects.filter(culture=culture).count() == 1

"""'Batch N of these grains' is given once, when the batch is logged, and never changes."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch
from tests.factories import make_batch, make_culture

MILK = {"base": "cow", "volume_ml": "500", "grains_in_g": "25", "room_temp_c": "21"}


def local(moment):
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def start(client, culture, **fields):
    response = client.post(reverse("batches:start", args=[culture.pk]), {**MILK, **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Batch.objects.latest("id")


def shown_number(client, batch):
    page = client.get(batch.get_absolute_url()).content.decode()
    return int(re.search(r'<h1[^>]*>[^<]*<span class="muted">#(\d+)</span>', page).group(1))


def test_a_batch_logged_late_gets_the_next_number_and_the_others_keep_theirs(owner_client, culture):
    first = start(owner_client, culture, started_at=local(timezone.now() - timedelta(days=2)))
    owner_client.post(reverse("batches:strain", args=[first.pk]), {"next": "/"})
    second = start(owner_client, culture)
    owner_client.post(reverse("batches:strain", args=[second.pk]), {"next": "/"})
    forgotten = start(owner_client, culture, started_at=local(timezone.now() - timedelta(days=5)))

    assert [shown_number(owner_client, b) for b in (first, second, forgotten)] == [1, 2, 3]


def test_deleting_or_editing_a_batch_renumbers_nothing(owner_client, culture):
    old = make_batch(culture, started_at=timezone.now() - timedelta(days=3))
    middle = make_batch(culture, started_at=timezone.now() - timedelta(days=2))
    newest = make_batch(culture, started_at=timezone.now() - timedelta(hours=2))

    owner_client.post(reverse("batches:delete", args=[old.pk]))
    edit = {
        **MILK,
        "started_at": local(timezone.now() - timedelta(days=10)),  # now the oldest
        "strained_at": "",
        "notes": "moved back",
    }
    response = owner_client.post(reverse("batches:edit", args=[newest.pk]), edit)
    assert response.status_code == 302

    assert not Batch.objects.filter(pk=old.pk).exists()
    assert shown_number(owner_client, middle) == 2
    assert shown_number(owner_client, newest) == 3
    history = owner_client.get(reverse("batches:history")).content.decode()
    assert re.findall(r'<span class="muted">#(\d+)</span>', history) == ["2", "3"]


def test_each_grains_count_their_own_batches(owner_client, culture, owner):
    other = make_culture(owner, "Second jar")
    make_batch(culture)
    assert start(owner_client, other).number == 1


def test_the_start_form_says_a_late_batch_gets_the_next_number(owner_client, culture):
    page = owner_client.get(f"/?start={culture.pk}").content.decode()
    help_id = f"start{culture.pk}_started_at_helptext"
    assert (
        f'id="{help_id}">Leave empty for now. A batch logged late still gets the next number.<'
    ) in page
    assert f'aria-describedby="{help_id}"' in page

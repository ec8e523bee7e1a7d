"""Another request's change landing in the middle of this one: a clear answer, never a 500.

The other request is played by a signal fired at the moment it would interleave."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch
from kefir_tracker.grains.models import Culture, CultureQuerySet
from tests.factories import make_batch, make_culture


def test_a_batch_deleted_while_it_is_being_discarded_answers_404(
    owner_client, culture, monkeypatch
):
    batch = make_batch(culture)
    checked = Batch.clean

    def checked_then_deleted_elsewhere(self):  # the other request deletes and commits
        checked(self)
        Batch.objects.filter(pk=self.pk).delete()

    monkeypatch.setattr(Batch, "clean", checked_then_deleted_elsewhere)
    response = owner_client.post(reverse("batches:discard", args=[batch.pk]), {"reason": "mould"})

    assert response.status_code == 404
    assert not Batch.objects.filter(pk=batch.pk).exists()


def test_a_split_deleted_while_its_parent_page_is_read_is_left_out(
    owner_client, owner, culture, monkeypatch
):
    child = make_culture(owner, "Little B", parent=culture)
    walk = CultureQuerySet.descendant_rows

    def walked_then_deleted_elsewhere(self, *args):  # between the walk and the figures
        rows = walk(self, *args)
        Culture.objects.filter(pk=child.pk).delete()
        return rows

    monkeypatch.setattr(CultureQuerySet, "descendant_rows", walked_then_deleted_elsewhere)
    response = owner_client.get(culture.get_absolute_url())

    assert response.status_code == 200
    assert "Little B" not in response.text


def test_today_copes_with_a_usual_time_of_nothing(owner_client, culture):
    moment = timezone.now() - timedelta(days=1)
    make_batch(culture, started_at=moment, strained_at=moment)  # strained as it started
    make_batch(culture, started_at=timezone.now() - timedelta(hours=2))
    response = owner_client.get(reverse("batches:today"))
    assert response.status_code == 200
    # A lone batch strained as it started is an outlier to the model, not the usual time.
    assert re.search(r"ready in <time [^>]+>\d+ h( \d+ min)?</time>, ≈", response.text)

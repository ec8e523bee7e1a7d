"""Small helpers that create valid objects; tests override only what they care about."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

from kefir_tracker.accounts.models import User
from kefir_tracker.batches.models import Base, Batch, TastingNote
from kefir_tracker.grains.models import Culture, Kind, Weighing
from kefir_tracker.kitchens.models import Kitchen

_numbers = count(1)
PASSWORD = "correct-horse-battery"


def make_user(username=None, **fields) -> User:
    # A kitchen nobody is in, first: a person's kitchen then never has the person's own
    # id, so code that passes one for the other fails in the tests.
    Kitchen.objects.create(name="Nobody's")
    user = User(username=username or f"user{next(_numbers)}", **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_culture(owner, name=None, **fields) -> Culture:
    fields.setdefault("kind", Kind.MILK)
    return Culture.objects.create(owner=owner, name=name or f"Grains {next(_numbers)}", **fields)


def make_batch(culture, **fields) -> Batch:
    """A batch of ``culture``, fermenting unless said otherwise. One colony ferments one
    batch at a time, so when the grains already ferment one, a batch made without a
    ``strained_at`` is a past one: strained 20 hours after it started."""
    water = culture.kind == Kind.WATER
    fields.setdefault("base", Base.WATER if water else Base.COW)
    fields.setdefault("volume_ml", Decimal(1000 if water else 500))
    fields.setdefault("grains_in_g", Decimal(50 if water else 25))
    if water:
        fields.setdefault("sugar_g", Decimal(50))
    fields.setdefault("started_at", timezone.now() - timedelta(hours=20))
    fields.setdefault("room_temp_c", Decimal(22))
    already_fermenting = not fields.get("discarded") and culture.batches.fermenting().exists()
    if "strained_at" not in fields and already_fermenting:
        fields["strained_at"] = fields["started_at"] + timedelta(hours=20)
    return Batch.objects.create(owner=culture.owner, culture=culture, **fields)


def make_tasting(batch, **fields) -> TastingNote:
    fields.setdefault("rating", 4)
    fields.setdefault("tasted_at", (batch.strained_at or batch.started_at) + timedelta(hours=1))
    return TastingNote.objects.create(batch=batch, **fields)


def make_weighing(culture, grams=30, **fields) -> Weighing:
    return Weighing.objects.create(culture=culture, grams=Decimal(grams), **fields)

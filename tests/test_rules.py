"""Every rule of the data model is refused twice: by validation with a plain message,
and by the database itself when validation is bypassed. Nothing is saved either way."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError
from django.utils import timezone

from kefir_tracker.batches.models import Base, Batch, TastingNote
from kefir_tracker.grains.models import Culture, Kind, Weighing
from tests.factories import make_batch, make_culture, make_tasting, make_user

NOW = timezone.now()


def refused_by_database(save):
    with pytest.raises(IntegrityError), transaction.atomic():
        save()


BAD_BATCH_VALUES = [
    ("volume_ml", Decimal(0), "Volume must be more than 0"),
    ("volume_ml", Decimal(-250), "Volume must be more than 0"),
    ("volume_ml", Decimal(20_001), "Volume must be at most 20,000 ml"),
    ("grains_in_g", Decimal(0), "Grains in must be more than 0"),
    ("grains_in_g", Decimal("2000.1"), "Grains in must be at most 2,000 g"),
    ("grains_out_g", Decimal(-3), "Grains out must be more than 0"),
    ("grains_out_g", Decimal(2500), "Grains out must be at most 2,000 g"),
    ("sugar_g", Decimal(0), "Sugar must be more than 0"),
    ("room_temp_c", Decimal("-10.5"), "Room temperature must be at least -10"),
    ("room_temp_c", Decimal("50.5"), "Room temperature must be at most 50"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_BATCH_VALUES)
def test_a_batch_quantity_out_of_range_is_refused(culture, field, value, message):
    batch = Batch(
        owner=culture.owner,
        culture=culture,
        base=Base.COW,
        volume_ml=500,
        grains_in_g=25,
        started_at=NOW,
    )
    setattr(batch, field, value)

    with pytest.raises(ValidationError) as refusal:
        batch.full_clean()
    refused_by_database(batch.save)

    assert message in " ".join(refusal.value.message_dict[field])
    assert not Batch.objects.exists()


@pytest.mark.parametrize(
    ("times", "message"),
    [
        ({"strained_at": NOW - timedelta(hours=1)}, "Strained time cannot be before the start"),
        (
            {"strained_at": NOW + timedelta(hours=20), "bottled_at": NOW + timedelta(hours=19)},
            "Bottling comes after straining",
        ),
        ({"bottled_at": NOW + timedelta(hours=2)}, "Bottling comes after straining"),
        (
            {
                "strained_at": NOW + timedelta(hours=20),
                "bottled_at": NOW + timedelta(hours=21),
                "finished_at": NOW + timedelta(hours=20, minutes=30),
            },
            "The second ferment cannot finish before it was bottled",
        ),
    ],
)
def test_times_out_of_order_are_refused(culture, times, message):
    batch = Batch(
        owner=culture.owner,
        culture=culture,
        base=Base.COW,
        volume_ml=500,
        grains_in_g=25,
        started_at=NOW,
        **times,
    )

    with pytest.raises(ValidationError) as refusal:
        batch.full_clean()
    refused_by_database(batch.save)

    assert message in str(refusal.value)
    assert not Batch.objects.exists()


@pytest.mark.parametrize("field", ["rating", "sourness", "fizz", "thickness"])
@pytest.mark.parametrize("value", [0, 6])
def test_tasting_scores_outside_one_to_five_are_refused(culture, field, value):
    batch = make_batch(culture, strained_at=NOW)
    note = TastingNote(batch=batch, rating=3, tasted_at=NOW)
    setattr(note, field, value)

    with pytest.raises(ValidationError) as refusal:
        note.full_clean()
    refused_by_database(note.save)

    assert "is from 1 to 5" in " ".join(refusal.value.message_dict[field])
    assert not TastingNote.objects.exists()


def test_a_tasting_score_of_one_to_five_is_kept(culture):
    note = make_tasting(make_batch(culture, strained_at=NOW), rating=5, sourness=1, fizz=3)
    note.full_clean()
    assert TastingNote.objects.get().rating == 5


@pytest.mark.parametrize(
    ("kind", "base", "message"),
    [
        (Kind.WATER, Base.COW, "they ferment sugar water, not milk"),
        (Kind.MILK, Base.WATER, "they ferment milk, not sugar water"),
    ],
)
def test_grains_only_ferment_the_base_of_their_kind(owner, kind, base, message):
    grains = make_culture(owner, kind=kind)
    batch = Batch(
        owner=owner,
        culture=grains,
        base=base,
        volume_ml=500,
        grains_in_g=25,
        sugar_g=50,
        started_at=NOW,
    )

    with pytest.raises(ValidationError) as refusal:
        batch.full_clean()

    assert message in " ".join(refusal.value.message_dict["base"])
    assert not Batch.objects.exists()


def test_water_kefir_needs_sugar(owner):
    grains = make_culture(owner, kind=Kind.WATER)
    batch = Batch(
        owner=owner, culture=grains, base=Base.WATER, volume_ml=1000, grains_in_g=50, started_at=NOW
    )

    with pytest.raises(ValidationError) as refusal:
        batch.full_clean()

    assert "Water kefir needs sugar" in " ".join(refusal.value.message_dict["sugar_g"])


def test_grains_cannot_be_their_own_parent(culture):
    culture.parent = culture

    with pytest.raises(ValidationError) as refusal:
        culture.full_clean()
    refused_by_database(culture.save)

    assert "cannot descend from themselves" in str(refusal.value)
    culture.refresh_from_db()
    assert culture.parent is None


@pytest.mark.parametrize("depth", [1, 2, 7])
def test_grains_cannot_descend_from_their_own_descendant_at_any_depth(culture, depth):
    descendant = culture
    for level in range(depth):
        descendant = make_culture(culture.owner, f"Split {level}", parent=descendant)
    culture.parent = descendant

    with pytest.raises(ValidationError) as refusal:
        culture.full_clean()

    assert "cannot descend from themselves or their own splits" in str(refusal.value)
    culture.refresh_from_db()
    assert culture.parent is None


def test_split_grains_are_the_same_kind_as_their_parent(culture):
    child = Culture(owner=culture.owner, name="Water child", kind=Kind.WATER, parent=culture)

    with pytest.raises(ValidationError) as refusal:
        child.full_clean()

    assert "must be the same kind" in str(refusal.value)


def test_grain_names_are_unique_per_owner_whatever_the_case(culture):
    twin = Culture(owner=culture.owner, name=culture.name.upper(), kind=Kind.MILK)

    with pytest.raises(ValidationError) as refusal:
        twin.full_clean()
    refused_by_database(twin.save)

    assert "You already have grains with this name" in str(refusal.value)
    assert Culture.objects.count() == 1


def test_two_people_may_name_their_grains_alike(culture):
    make_culture(make_user(), culture.name)
    assert Culture.objects.filter(name=culture.name).count() == 2


@pytest.mark.parametrize("grams", [Decimal(0), Decimal(-1), Decimal(2001)])
def test_a_weighing_out_of_range_is_refused(culture, grams):
    weighing = Weighing(culture=culture, grams=grams)

    with pytest.raises(ValidationError):
        weighing.full_clean()
    refused_by_database(weighing.save)

    assert not Weighing.objects.exists()


def test_grains_that_made_batches_cannot_be_deleted_only_retired(culture):
    make_batch(culture)

    with pytest.raises(RestrictedError):
        culture.delete()

    assert Culture.objects.filter(pk=culture.pk).exists()
    assert Batch.objects.count() == 1


def test_grains_with_splits_cannot_be_deleted(culture):
    make_culture(culture.owner, "Child", parent=culture)

    with pytest.raises(RestrictedError):
        culture.delete()

    assert Culture.objects.count() == 2


def test_grains_without_batches_or_splits_can_be_deleted(culture):
    culture.delete()
    assert not Culture.objects.exists()


def test_deleting_an_account_takes_its_whole_history_with_it(culture):
    child = make_culture(culture.owner, "Child", parent=culture)
    make_tasting(make_batch(child, strained_at=NOW))
    other = make_culture(make_user(), "Someone else's")

    culture.owner.delete()

    assert list(Culture.objects.all()) == [other]
    assert not Batch.objects.exists()


def test_a_batch_cannot_use_someone_elses_grains(owner, other_user):
    theirs = make_culture(other_user, "Not mine")
    batch = Batch(
        owner=owner, culture=theirs, base=Base.COW, volume_ml=500, grains_in_g=25, started_at=NOW
    )

    with pytest.raises(ValidationError) as refusal:
        batch.full_clean()

    assert "These grains belong to someone else" in " ".join(refusal.value.message_dict["culture"])
    assert not Batch.objects.exists()

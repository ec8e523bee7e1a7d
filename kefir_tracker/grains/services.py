"""What people do to their grains: weigh, split, move in the family tree, rest, revive, give away.

Each function validates before it writes and changes several rows in one
transaction, so a refused change leaves nothing behind.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from kefir_tracker.grains.models import Culture, Origin, Status, StatusChange, Weighing

# Which statuses may follow which. Retired or given-away grains can be brought
# back ("revived"): a slip of the thumb must not be final.
TRANSITIONS = {
    Status.ACTIVE: {Status.RESTING, Status.DRIED, Status.RETIRED, Status.GIVEN_AWAY},
    Status.RESTING: {Status.ACTIVE, Status.DRIED, Status.RETIRED, Status.GIVEN_AWAY},
    Status.DRIED: {Status.ACTIVE, Status.RETIRED, Status.GIVEN_AWAY},
    Status.RETIRED: {Status.ACTIVE},
    Status.GIVEN_AWAY: {Status.ACTIVE},
}
SPLITTABLE = {Status.ACTIVE, Status.RESTING}


@dataclass(frozen=True)
class Portion:
    """One new culture from a split: its name and how many grams it gets."""

    name: str
    grams: Decimal


def weigh(culture: Culture, grams, weighed_at=None) -> Weighing:
    weighing = Weighing(culture=culture, grams=grams, weighed_at=weighed_at or timezone.now())
    weighing.full_clean()
    weighing.save()
    return weighing


@transaction.atomic
def split_culture(culture: Culture, portions: list[Portion], total_g) -> list[Culture]:
    """Divide ``culture`` (weighing ``total_g`` now) into new child cultures.

    Each child gets this culture as parent, its kind and owner, origin "split"
    and a first weighing; the parent keeps the remainder, recorded as a
    weighing, or is retired when nothing remains.
    """
    if culture.status not in SPLITTABLE:
        raise ValidationError(
            f"{culture.name} are {culture.get_status_display()}; revive them before splitting."
        )
    if not portions:
        raise ValidationError("A split makes at least one new culture.")
    names = [portion.name.strip() for portion in portions]
    lowered = [name.lower() for name in names]
    if len(set(lowered)) != len(lowered):
        raise ValidationError("Give each new culture its own name.")
    taken = Culture.objects.filter(kitchen_id=culture.kitchen_id).annotate(lower=Lower("name"))
    clash = taken.filter(lower__in=lowered).values_list("name", flat=True).first()
    if clash:
        raise ValidationError(f"You already have grains called {clash}.")
    total_g = Decimal(total_g)
    remainder = total_g - sum(portion.grams for portion in portions)
    if remainder < 0:
        raise ValidationError(
            f"The new grains add up to more than the {total_g.normalize():f} g there are."
        )

    now = timezone.now()
    today = timezone.localdate(now)
    children = []
    for name, portion in zip(names, portions, strict=True):
        child = Culture(
            kitchen_id=culture.kitchen_id,
            owner=culture.owner,
            name=name,
            kind=culture.kind,
            parent=culture,
            origin=Origin.SPLIT,
            acquired_on=today,
        )
        child.full_clean()
        child.save()
        weigh(child, portion.grams, now)
        children.append(child)
    if remainder > 0:
        weigh(culture, remainder, now)
    else:
        change_status(culture, Status.RETIRED)
    return children


@transaction.atomic
def set_parent(culture: Culture, parent: Culture | None) -> Culture:
    """Record ``parent`` as the grains ``culture`` was split from, refusing any loop."""
    if parent is not None:
        if parent.kitchen_id != culture.kitchen_id:
            raise ValidationError({"parent": "Choose one of your own grains."})
        if culture.would_become_own_ancestor(parent.pk):
            raise ValidationError(
                {"parent": "These grains cannot descend from themselves or their own splits."}
            )
    culture.parent = parent
    culture.full_clean()
    culture.save(update_fields=["parent"])
    return culture


STATUS_FIELDS = ["status", "status_changed_at", "given_to", "rest_milk_changed_at"]


@transaction.atomic
def change_status(culture: Culture, status, given_to: str = "") -> Culture:
    """Rest, dry, revive, retire or give away, recorded in the culture's status history;
    the rest of its history (batches, weighings) stays."""
    status = Status(status)
    current = Status(culture.status)
    if status not in TRANSITIONS[current]:
        raise ValidationError(f"{culture.name} are already {culture.get_status_display()}.")
    given_to = given_to.strip()
    if status == Status.GIVEN_AWAY and not given_to:
        raise ValidationError({"given_to": "Who got them? Write a name."})
    now = timezone.now()
    StatusChange.objects.create(
        culture=culture,
        status=status,
        changed_at=now,
        given_to=given_to if status == Status.GIVEN_AWAY else "",
        from_status=current,
        from_changed_at=culture.status_changed_at,
        from_rest_milk_changed_at=culture.rest_milk_changed_at,
    )
    culture.status = status
    culture.status_changed_at = now
    culture.given_to = given_to if status == Status.GIVEN_AWAY else culture.given_to
    culture.rest_milk_changed_at = now if status == Status.RESTING else None
    culture.save(update_fields=STATUS_FIELDS)
    return culture


def undoable_status_change(culture: Culture) -> StatusChange | None:
    """The culture's latest status change, while it can still be undone."""
    latest = culture.status_changes.first()
    return latest if latest is not None and latest.can_be_undone else None


@transaction.atomic
def undo_status_change(culture: Culture) -> StatusChange:
    """Take back the latest status change, made a few minutes ago: the culture is as
    it was before, and the change leaves the history."""
    Culture.objects.lock(culture.pk)
    latest = undoable_status_change(culture)
    if latest is None:
        raise ValidationError("There is no recent change of status to undo.")
    culture.refresh_from_db(fields=STATUS_FIELDS)
    if culture.status != latest.status:
        raise ValidationError("The status has changed again since; nothing was undone.")
    culture.status = latest.from_status
    culture.status_changed_at = latest.from_changed_at
    culture.rest_milk_changed_at = latest.from_rest_milk_changed_at
    culture.save(update_fields=STATUS_FIELDS)
    latest.delete()
    return latest


def change_rest_milk(culture: Culture) -> Culture:
    """Resting grains got fresh milk in the fridge."""
    if culture.status != Status.RESTING:
        raise ValidationError(f"{culture.name} are not resting.")
    culture.rest_milk_changed_at = timezone.now()
    culture.save(update_fields=["rest_milk_changed_at"])
    return culture


def delete_culture(culture: Culture) -> None:
    """Delete grains that never made a batch and were never split; others are retired."""
    if culture.batches.exists() or culture.children.exists():
        raise ValidationError(
            f"{culture.name} have batches or splits, so deleting them would lose history. "
            "Retire them instead."
        )
    culture.delete()

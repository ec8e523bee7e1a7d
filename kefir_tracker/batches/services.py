"""What people do with batches, as small functions the views (and commands) call.

Every change runs the model's ``full_clean()`` before it is saved, so the
rules in Batch.clean and the constraints hold however a batch is changed; on a
ValidationError nothing is saved and the batch in memory is left as it was.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from kefir_tracker import dates
from kefir_tracker.batches.models import Action, Base, Batch, TastingNote
from kefir_tracker.forecast.model import Forecast, ReadyModel, model_for
from kefir_tracker.grains.models import Culture, Kind, Status

STARTABLE = (Status.ACTIVE, Status.RESTING)


def _save(instance, **changes):
    """Apply ``changes``, validate, save; on a ValidationError restore and re-raise.

    A new instance is validated whole. A stored one is validated on what
    changes: the changed fields and the model's clean() (which checks the
    whole timeline); the rest was validated when it was stored. Its check
    constraints are left to the database: each restates a field's validators
    or a rule of clean(), and Django compiles a query for every one of them
    even when it names no changed field (a third of the time of a strain).
    """
    before = {name: getattr(instance, name) for name in changes}
    for name, value in changes.items():
        setattr(instance, name, value)
    unchanged = None
    if instance.pk is not None:
        unchanged = [f.name for f in instance._meta.concrete_fields if f.name not in changes]
    try:
        instance.full_clean(exclude=unchanged, validate_constraints=unchanged is None)
    except ValidationError:
        for name, value in before.items():
            setattr(instance, name, value)
        raise
    try:
        with transaction.atomic():  # a savepoint: a failed save leaves the transaction usable
            instance.save(update_fields=list(changes) if unchanged is not None else None)
    except DatabaseError:
        # Deleted by another request since it was read: say so, not a server error.
        if unchanged is not None and not type(instance).objects.filter(pk=instance.pk).exists():
            raise type(instance).DoesNotExist from None
        raise
    return instance


def start_batch(owner, culture: Culture, **fields) -> Batch:
    """``owner`` puts ``culture`` (grains of the kitchen they are in) into a base now
    (or at ``started_at``); the batch is in the grains' kitchen, started by ``owner``."""
    if culture.kitchen_id != owner.current_kitchen_id:
        raise ValidationError("These grains belong to someone else's kitchen.")
    if culture.status not in STARTABLE:
        raise ValidationError(
            f"{culture.name} are {culture.get_status_display()}; only active or resting grains "
            "can start a batch."
        )
    if culture.kind == Kind.MILK:
        fields["sugar_g"] = None
    fields["started_at"] = fields.get("started_at") or timezone.now()
    batch = Batch(owner=owner, culture=culture, kitchen_id=culture.kitchen_id, **fields)
    with transaction.atomic():
        # Locked until the batch is stored: two starts at once cannot both pass the
        # check, nor take the same number.
        Culture.objects.lock(culture.pk)
        running = culture.batches.fermenting().first()
        if running is not None:
            raise ValidationError(already_fermenting(culture, running))
        batch.number = Batch.next_number(culture.pk)
        return _save(batch)


def already_fermenting(culture: Culture, running: Batch) -> str:
    return (
        f"{culture.name} are fermenting batch #{running.number} "
        f"({running.get_base_display()}, started {dates.local_moment(running.started_at)}). "
        "Strain it first, or split the grains to start a second jar."
    )


def _not_discarded(batch):
    if batch.discarded:
        raise ValidationError("This batch was discarded.")


def strain_batch(
    batch: Batch, strained_at: datetime | None = None, grains_out_g=None, by=None
) -> Batch:
    """End the first ferment; ``grains_out_g`` is the weight of the grains taken out, if
    weighed; ``by`` is who strained it (as each one-tap change below records)."""
    _not_discarded(batch)
    if batch.strained_at is not None:
        raise ValidationError(
            "This batch was already strained at "
            f"{dates.time_of_day(timezone.localtime(batch.strained_at))}."
        )
    return _save(
        batch,
        strained_at=strained_at or timezone.now(),
        grains_out_g=grains_out_g,
        strained_by=by,
        **_done(Action.STRAIN),
    )


def _done(action: Action) -> dict:
    """The fields that remember ``action`` as the batch's latest, for its Undo."""
    return {"last_action": action, "last_action_at": timezone.now()}


def bottle_batch(
    batch: Batch, bottled_at: datetime | None = None, flavourings="", by=None
) -> Batch:
    """Start a second ferment: the strained kefir bottled, perhaps with flavourings."""
    _not_discarded(batch)
    if batch.strained_at is None:
        raise ValidationError("Strain the batch before bottling it.")
    if batch.bottled_at is not None:
        raise ValidationError("This batch is already bottled.")
    return _save(
        batch,
        bottled_at=bottled_at or timezone.now(),
        flavourings=flavourings,
        bottled_by=by,
        **_done(Action.BOTTLE),
    )


def finish_second_ferment(batch: Batch, finished_at: datetime | None = None, by=None) -> Batch:
    _not_discarded(batch)
    if batch.bottled_at is None:
        raise ValidationError("This batch has no second ferment to finish.")
    if batch.finished_at is not None:
        raise ValidationError("This second ferment has already finished.")
    return _save(
        batch, finished_at=finished_at or timezone.now(), finished_by=by, **_done(Action.FINISH)
    )


def add_tasting_note(batch: Batch, by=None, **fields) -> TastingNote:
    fields["tasted_at"] = fields.get("tasted_at") or timezone.now()
    return _save(TastingNote(batch=batch, author=by), **fields)


def update_batch(batch: Batch, by=None, **fields) -> Batch:
    # An edit is deliberate: what it changed is not taken back by an older Undo.
    return _save(batch, **fields, last_action="", last_action_at=None)


def discard_batch(
    batch: Batch, reason: str, discarded_at: datetime | None = None, by=None
) -> Batch:
    if batch.discarded:
        raise ValidationError("This batch was already discarded.")
    return _save(
        batch,
        discarded=True,
        discarded_at=discarded_at or timezone.now(),
        discard_reason=reason,
        discarded_by=by,
        **_done(Action.DISCARD),
    )


# What each one-tap change set, and what its Undo puts back.
UNDONE = {
    Action.STRAIN: {"strained_at": None, "grains_out_g": None, "strained_by": None},
    Action.BOTTLE: {"bottled_at": None, "flavourings": "", "bottled_by": None},
    Action.FINISH: {"finished_at": None, "finished_by": None},
    Action.DISCARD: {
        "discarded": False,
        "discarded_at": None,
        "discard_reason": "",
        "discarded_by": None,
    },
}


def undo_last_action(batch: Batch, by=None) -> Batch:
    """Take back the batch's latest one-tap change, made in the last few minutes."""
    action = batch.undoable_action and Action(batch.last_action)
    if not action:
        raise ValidationError("There is nothing recent to undo on this batch.")
    with transaction.atomic():
        Culture.objects.lock(batch.culture_id)
        if action == Action.STRAIN or batch.strained_at is None:  # it would ferment again
            running = batch.culture.batches.fermenting().exclude(pk=batch.pk).first()
            if running is not None:
                raise ValidationError(
                    f"{batch.culture.name} started batch #{running.number} since, so this one "
                    "cannot ferment again; edit it instead."
                )
        return _save(batch, **UNDONE[action], last_action="", last_action_at=None)


# ---- Today: what is fermenting, and when it will be ready ----


@dataclass(frozen=True)
class Estimate:
    """When a fermenting batch is likely ready, and the range it usually falls in."""

    started_at: datetime
    forecast: Forecast

    @property
    def expected(self) -> timedelta:
        return self.forecast.expected

    @property
    def ready_at(self) -> datetime:
        return self.started_at + self.forecast.expected

    @property
    def earliest(self) -> datetime:
        return self.started_at + timedelta(hours=self.forecast.low)

    @property
    def latest(self) -> datetime:
        return self.started_at + timedelta(hours=self.forecast.high)

    @property
    def percent(self) -> int:
        if self.expected <= timedelta(0):
            return 100
        elapsed = timezone.now() - self.started_at
        return max(0, min(100, round(100 * elapsed / self.expected)))

    @property
    def is_due(self) -> bool:
        return timezone.now() >= self.ready_at


def estimate(batch: Batch, model: ReadyModel) -> Estimate:
    """The ready-time model's forecast for this batch: its base, grains, ratio and room."""
    forecast = model.predict(
        batch.base,
        culture_id=batch.culture_id,
        room_temp_c=batch.room_temp_c,
        grains_g=batch.grains_in_g,
        volume_ml=batch.volume_ml,
        when=batch.started_at,
    )
    return Estimate(started_at=batch.started_at, forecast=forecast)


def fermenting_with_estimates(owner) -> list[Batch]:
    """The owner's fermenting batches, oldest first, each with ``.estimate``."""
    batches = list(
        Batch.objects.for_user(owner).fermenting().select_related("culture").order_by("started_at")
    )
    model = model_for(owner) if batches else None
    for batch in batches:
        batch.estimate = estimate(batch, model)
    return batches


def startable_cultures_with_last_batch(owner) -> list[Culture]:
    """Grains that can start a batch, active first, then resting ones; each with
    ``.last_batch`` (the latest not discarded, or None), the dairy-rotation figures
    (``needs_dairy``) and ``last_fed_at`` (for ``food_due``). Two queries."""
    last = Batch.objects.filter(culture=OuterRef("pk"), discarded=False).order_by(
        "-started_at", "-pk"
    )
    cultures = list(
        startable_cultures()
        .for_user(owner)
        .with_last_fed()
        .order_by("status", "name")  # "active" sorts before "resting"
        .annotate(last_batch_id=Subquery(last.values("pk")[:1]))
    )
    ids = [culture.last_batch_id for culture in cultures if culture.last_batch_id]
    batches = Batch.objects.in_bulk(ids) if ids else {}
    for culture in cultures:
        culture.last_batch = batches.get(culture.last_batch_id)
    return cultures


def startable_cultures():
    """The grains that may start a batch: active or resting, with their dairy rotation."""
    return Culture.objects.filter(status__in=STARTABLE).with_dairy_rotation()


def last_batch(culture: Culture) -> Batch | None:
    """The grains' latest batch that was not discarded: the one a new batch repeats."""
    return culture.batches.filter(discarded=False).order_by("-started_at", "-pk").first()


def next_batch_initial(culture: Culture, last_batch: Batch | None) -> dict:
    """A start form's values for the usual batch: the last one again.

    The grains going in are what came out last time when that was weighed, and
    milk grains due a dairy batch (``culture.needs_dairy``) are offered cow milk.
    """
    if last_batch is None:
        return {"base": Base.WATER if culture.kind == Kind.WATER else Base.COW}
    return {
        "base": Base.COW if culture.needs_dairy else last_batch.base,
        "volume_ml": last_batch.volume_ml,
        "grains_in_g": last_batch.grains_out_g or last_batch.grains_in_g,
        "sugar_g": last_batch.sugar_g,
        "room_temp_c": last_batch.room_temp_c,
    }

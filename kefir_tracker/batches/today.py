"""Today follows the whole cycle: the first ferment, the tasting after the strain, the
second ferment in bottles, and grains waiting for fresh food.

A fixed handful of queries whatever the length of the history, each a range of its
own index (see Batch.Meta.indexes): the batches fermenting, those strained lately and
not tasted, those in bottles (with the second ferments finished in the last minutes,
for their Undo), and the ready-time model when something ferments. The grains come
with the start cards' query.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from kefir_tracker.batches import cycle
from kefir_tracker.batches.models import Action, Base, Batch, BatchStatus
from kefir_tracker.batches.services import estimate
from kefir_tracker.forecast.model import ReadyModel, model_for
from kefir_tracker.grains.models import UNDO_FOR, Culture, FoodDue

# Grains whose fresh food is due within this long are on Today: tonight's jobs and
# tomorrow morning's, so that nothing comes as a surprise.
GRAINS_AHEAD = timedelta(days=1)


def stage(batch: Batch) -> BatchStatus:
    """Where in the cycle a card of Today shows ``batch``: fermenting, strained (waiting
    for a tasting), in its second ferment, or done with it (just finished). From its
    times alone: a card never asks the database whether it was tasted."""
    if batch.strained_at is None:
        return BatchStatus.FERMENTING
    if batch.finished_at is not None:
        return BatchStatus.DONE
    if batch.bottled_at is not None:
        return BatchStatus.SECOND_FERMENT
    return BatchStatus.STRAINED


@dataclass(frozen=True)
class Burp:
    """A burp as a card shows it: "burp the bottles at 21:00" from ``shown_from`` (the
    end of the previous one, or from the start) until ``at``, then "burp them now" until
    ``due_until``."""

    at: datetime
    shown_from: datetime | None

    @property
    def due_until(self) -> datetime:
        return self.at + cycle.BURP_DUE_FOR


def add_card_facts(batch: Batch, now: datetime, model: ReadyModel | None) -> Batch:
    """What its card shows: ``.stage``; ``.estimate`` while it ferments (from ``model``);
    in a second ferment its ``.window``, the guides' ``.window_hours`` and, for water
    kefir, the ``.burps`` ahead; and ``.overdue_at``, the moment past which it is overdue
    (None when it cannot be), and whether it is (``.is_overdue``)."""
    batch.stage = stage(batch)
    batch.estimate = batch.window = batch.window_hours = batch.overdue_at = None
    batch.burps = []
    if batch.stage == BatchStatus.FERMENTING:
        batch.estimate = estimate(batch, model)
        batch.overdue_at = batch.estimate.latest
    elif batch.stage == BatchStatus.SECOND_FERMENT:
        batch.window = cycle.second_ferment_window(batch)
        batch.window_hours = cycle.SECOND_FERMENT_HOURS[Base(batch.base).kind]
        previous = None
        for at in cycle.burps_ahead(batch, now):
            batch.burps.append(Burp(at=at, shown_from=previous))
            previous = at + cycle.BURP_DUE_FOR
        batch.overdue_at = batch.window and batch.window.end
    batch.is_overdue = batch.overdue_at is not None and now > batch.overdue_at
    return batch


@dataclass
class GrainsDue:
    culture: Culture
    food: FoodDue


@dataclass
class Today:
    now: datetime
    fermenting: list[Batch] = field(default_factory=list)  # overdue first, then oldest
    waiting: list[Batch] = field(default_factory=list)  # strained lately, not tasted
    second_ferment: list[Batch] = field(default_factory=list)  # soonest window first
    grains: list[GrainsDue] = field(default_factory=list)  # soonest first


def today_for(owner, cultures: list[Culture], now: datetime | None = None) -> Today:
    """The owner's Today; ``cultures`` are the startable grains of the start cards
    (services.startable_cultures_with_last_batch), whose food due is read from them."""
    now = now or timezone.now()
    today = Today(now=now)
    mine = Batch.objects.for_user(owner).select_related("culture").order_by()
    fermenting = list(mine.fermenting())
    model = model_for(owner) if fermenting else None
    for batch in fermenting:
        add_card_facts(batch, now, model)
    today.fermenting = sorted(fermenting, key=lambda b: (not b.is_overdue, b.started_at, b.pk))

    waiting = mine.with_status(BatchStatus.STRAINED).filter(
        strained_at__gte=now - cycle.TASTE_WITHIN
    )
    today.waiting = [
        add_card_facts(batch, now, None)
        for batch in sorted(waiting, key=lambda b: (b.strained_at, b.pk), reverse=True)
    ]

    # One query, each half in its own index (batch_in_bottles, batch_undo): an OR of
    # the two read every batch of the owner's instead.
    just_finished = mine.filter(
        last_action=Action.FINISH, last_action_at__gte=now - UNDO_FOR, discarded=False
    )
    bottled = mine.with_status(BatchStatus.SECOND_FERMENT).union(just_finished)
    cards = [add_card_facts(batch, now, None) for batch in bottled]
    today.second_ferment = sorted(
        cards, key=lambda b: (b.window is None, b.window and b.window.start, b.pk)
    )

    running = {batch.culture_id for batch in fermenting}
    for culture in cultures:
        food = culture.food_due if culture.pk not in running else None
        if food is not None and food.due_at <= now + GRAINS_AHEAD:
            today.grains.append(GrainsDue(culture, food))
    today.grains.sort(key=lambda due: (due.food.due_at, due.culture.pk))
    return today

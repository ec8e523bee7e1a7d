"""What a person may be reminded of: one list for the calendar feed and for push.

Each reminder has a key that names the thing and its moment ("batch-12-ready"),
stable while nothing changes: the calendar's event UID, and what push records
as sent so nothing is sent twice. A change that moves the moment for a reason
a person would want to hear again (fresh milk for resting grains, a new batch)
makes a new key; an edited start time does not.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from kefir_tracker.batches import cycle
from kefir_tracker.batches.models import Base, Batch
from kefir_tracker.batches.services import estimate, fermenting_with_estimates
from kefir_tracker.forecast.model import model_for
from kefir_tracker.grains.models import MILK_CHANGE_AFTER, Culture, FoodDue, Status

READY = "ready"
SECOND_FERMENT = "second_ferment"
GRAINS = "grains"
# Water kefir burps listed ahead: enough for the longest second ferment.
BURPS_AHEAD = 6


@dataclass(frozen=True)
class Reminder:
    key: str
    topic: str  # READY, SECOND_FERMENT or GRAINS: what the person chose to hear about
    due_at: datetime  # when the thing is due
    at: datetime  # when to remind: due_at, moved to the end of the quiet hours
    title: str
    body: str
    url: str
    until: datetime | None = None  # the end of the window it is due in, if it has one


def in_quiet_hours(user, moment: datetime) -> bool:
    if user.quiet_from is None or user.quiet_until is None or user.quiet_from == user.quiet_until:
        return False
    clock = moment.astimezone(ZoneInfo(user.time_zone)).time()
    start, end = user.quiet_from, user.quiet_until
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end  # over midnight, 22:00-07:00


def after_quiet_hours(user, moment: datetime) -> datetime:
    """``moment``, or the end of the quiet hours it falls in (in the person's zone)."""
    if not in_quiet_hours(user, moment):
        return moment
    zone = ZoneInfo(user.time_zone)
    local = moment.astimezone(zone)
    end = datetime.combine(local.date(), user.quiet_until, tzinfo=zone)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), user.quiet_until, tzinfo=zone)
    return end.astimezone(moment.tzinfo)


def _reminder(user, **fields) -> Reminder:
    return Reminder(at=after_quiet_hours(user, fields["due_at"]), **fields)


def _ready(user, batch: Batch) -> Reminder:
    estimate = batch.estimate
    return _reminder(
        user,
        key=f"batch-{batch.pk}-ready",
        topic=READY,
        due_at=estimate.ready_at,
        title=f"{batch.culture.name} #{batch.number} should be ready",
        body=f"{capfirst(batch.get_base_display())} kefir: taste it, and strain it when you like it.",
        url=reverse("batches:detail", args=[batch.pk]),
    )


def _second_ferment(user, batch: Batch, now: datetime) -> list[Reminder]:
    window = cycle.second_ferment_window(batch)
    url = reverse("batches:detail", args=[batch.pk])
    name = f"{batch.culture.name} #{batch.number}"
    reminders = [
        _reminder(
            user,
            key=f"batch-{batch.pk}-second-ferment",
            topic=SECOND_FERMENT,
            due_at=window.start,
            until=window.end,
            title=f"Second ferment of {name} ready to taste",
            body="Taste a bottle; put them in the fridge when you like them.",
            url=url,
        )
    ]
    if batch.base == Base.WATER:
        burp = cycle.next_burp(batch, now)
        while burp is not None and burp < window.end and len(reminders) <= BURPS_AHEAD:
            number = (burp - batch.bottled_at) // cycle.BURP_EVERY
            reminders.append(
                _reminder(
                    user,
                    key=f"batch-{batch.pk}-burp-{number}",
                    topic=SECOND_FERMENT,
                    due_at=burp,
                    title=f"Burp the bottles of {name}",
                    body="Open each bottle a moment to let the gas out.",
                    url=url,
                )
            )
            burp += cycle.BURP_EVERY
    return reminders


def _grains(user, culture: Culture) -> Reminder | None:
    url = reverse("grains:detail", args=[culture.pk])
    due = culture.food_due  # the rule Today shows too
    if due is None:
        return None
    if due.what == FoodDue.FRESH:
        return _reminder(
            user,
            key=f"grains-{culture.pk}-fresh-{due.since:%Y%m%d%H%M%S}",
            topic=GRAINS,
            due_at=due.due_at,
            title=f"Fresh {culture.food} for {culture.name}",
            body=f"They have rested in the same {culture.food} for {MILK_CHANGE_AFTER.days} days.",
            url=url,
        )
    return _reminder(
        user,
        key=f"grains-{culture.pk}-hungry-{due.since:%Y%m%d%H%M%S}",
        topic=GRAINS,
        due_at=due.due_at,
        title=f"{culture.name} are hungry",
        body="Start a batch, or rest them in the fridge in fresh milk.",
        url=url,
    )


def upcoming(user, now: datetime | None = None) -> list[Reminder]:
    """Everything the person chose to be reminded of that is still ahead or due, by time.
    A few queries, whatever the history's length."""
    now = now or timezone.now()
    reminders: list[Reminder] = []
    if user.remind_ready:
        running = [batch for batch in fermenting_with_estimates(user) if batch.estimate]
        reminders.extend(_ready(user, batch) for batch in running)
    if user.remind_second_ferment:
        bottled = (
            Batch.objects.for_user(user)
            .filter(bottled_at__isnull=False, finished_at__isnull=True, discarded=False)
            .select_related("culture")
        )
        for batch in bottled:
            reminders.extend(_second_ferment(user, batch, now))
    if user.remind_grains:
        fermenting = Batch.objects.fermenting().filter(culture=OuterRef("pk"))
        cultures = (
            Culture.objects.for_user(user)
            .filter(status__in=[Status.RESTING, Status.ACTIVE])
            .exclude(Exists(fermenting))  # in fresh food now: their batch's reminder says when
            .with_stats()
        )
        reminders.extend(filter(None, (_grains(user, culture) for culture in cultures)))
    return sorted(reminders, key=lambda reminder: (reminder.at, reminder.key))


def for_batch(user, batch: Batch, now: datetime | None = None) -> list[Reminder]:
    """What one batch is due for, whatever the person chose to hear about (they asked
    for this batch): its ready time while it ferments, its second ferment (and burps)
    while bottled. Nothing for a batch strained and not bottled, finished or discarded."""
    now = now or timezone.now()
    if batch.discarded:
        return []
    if batch.strained_at is None:
        batch.estimate = estimate(batch, model_for(user))
        return [_ready(user, batch)]
    if cycle.second_ferment_window(batch) is not None:
        return _second_ferment(user, batch, now)
    return []

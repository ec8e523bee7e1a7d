from datetime import UTC, datetime
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from kefir_tracker.grains.models import MAX_GRAINS_G, UNDO_FOR, Culture, Kind, linked
from kefir_tracker.kitchens.models import Membership, in_current_kitchen

MAX_VOLUME_ML = 20_000
MAX_BATCH_NUMBER = 1_000_000
MAX_SUGAR_G = 2000
MIN_ROOM_C, MAX_ROOM_C = -10, 50
# A time outside these years is a typo; year 1 or 9999 would also overflow when
# shown in a time zone far from UTC (a 500 on every page listing the batch).
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
IMPLAUSIBLE_TIME = "Check the year: times from 2000 to 2099 only."


def implausible_times(obj, names) -> dict:
    """{field: message} for each of ``names`` set to a time outside EARLIEST..LATEST."""
    return {
        name: IMPLAUSIBLE_TIME
        for name in names
        if getattr(obj, name) is not None and not EARLIEST <= getattr(obj, name) < LATEST
    }


class Base(models.TextChoices):
    COW = "cow", "cow milk"
    GOAT = "goat", "goat milk"
    SOY = "soy", "soy milk"
    COCONUT = "coconut", "coconut milk"
    WATER = "water", "sugar water"

    @classmethod
    def for_kind(cls, kind):
        return [cls.WATER] if kind == Kind.WATER else [b for b in cls if b != cls.WATER]

    @property
    def kind(self):
        return Kind.WATER if self == Base.WATER else Kind.MILK


class BatchStatus(models.TextChoices):
    FERMENTING = "fermenting", "fermenting"
    STRAINED = "strained", "strained"
    SECOND_FERMENT = "second_ferment", "in second ferment"
    DONE = "done", "done"
    DISCARDED = "discarded", "discarded"


class Action(models.TextChoices):
    """The one-tap changes to a batch that can be taken back for a while."""

    STRAIN = "strain", "Strained"
    BOTTLE = "bottle", "Bottled"
    FINISH = "finish", "Second ferment finished"
    DISCARD = "discard", "Discarded"


class BatchQuerySet(models.QuerySet):
    def for_user(self, user):
        """The batches of the kitchen ``user`` is in now (kitchens.models)."""
        return self.filter(in_current_kitchen(user))

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for batch in objs:
            batch.take_kitchen()
        return super().bulk_create(objs, *args, **kwargs)

    def with_people(self):
        """With ``kitchen_size`` (how many people are in its kitchen): the timeline names
        who did what (``Batch.people``) only in a kitchen of several."""
        members = Membership.objects.filter(kitchen=OuterRef("kitchen")).order_by()
        size = members.values("kitchen").annotate(n=Count("pk")).values("n")
        return self.annotate(kitchen_size=Subquery(size))

    def fermenting(self):
        return self.filter(strained_at__isnull=True, discarded=False)

    def with_status(self, status):
        """Batches in one BatchStatus, computed from their times and tastings."""
        tasted = Exists(TastingNote.objects.filter(batch=OuterRef("pk")))
        live = self.filter(discarded=False)
        if status == BatchStatus.DISCARDED:
            return self.filter(discarded=True)
        if status == BatchStatus.FERMENTING:
            return live.filter(strained_at__isnull=True)
        if status == BatchStatus.SECOND_FERMENT:
            return live.filter(bottled_at__isnull=False, finished_at__isnull=True)
        if status == BatchStatus.DONE:
            return live.filter(Q(finished_at__isnull=False) | Q(tasted, bottled_at__isnull=True))
        if status == BatchStatus.STRAINED:
            return live.filter(strained_at__isnull=False, bottled_at__isnull=True).exclude(tasted)
        raise ValueError(f"Unknown batch status {status!r}")

    def for_list(self):
        """Rows for a list of batches, with their grains and ``best_rating`` (the
        highest tasting rating, or None), in one query."""
        return self.select_related("culture").annotate(best_rating=_best_rating())

    def for_rows(self):
        """``for_list()`` with only the columns a row of History or a culture's batches
        shows: every column costs a conversion per row."""
        return self.for_list().only(
            "culture__name",
            "number",
            "base",
            "volume_ml",
            "started_at",
            "strained_at",
            "bottled_at",
            "finished_at",
            "discarded",
            "discarded_at",
            "flavourings",
        )

    def rated_at_least(self, rating):
        """Batches whose best tasting rating is ``rating`` or more."""
        return self.filter(
            Exists(TastingNote.objects.filter(batch=OuterRef("pk"), rating__gte=rating))
        )

    def search(self, text):
        """Batches whose notes, discard reason, flavourings or tasting notes contain ``text``."""
        in_tastings = Exists(
            TastingNote.objects.filter(batch=OuterRef("pk"), notes__icontains=text)
        )
        return self.filter(
            Q(notes__icontains=text)
            | Q(discard_reason__icontains=text)
            | Q(flavourings__icontains=text)
            | in_tastings
        )


@cache
def _best_rating():
    """The batch's highest tasting rating, as SQL about the outer query's batch row (like
    grains.models' figures: Django took longer to compile the same subquery through the
    ORM than the database took to run the whole page's query)."""
    quote = connection.ops.quote_name
    batches, tastings = quote(Batch._meta.db_table), quote(TastingNote._meta.db_table)
    sql = f"SELECT MAX(t.rating) FROM {tastings} t WHERE t.batch_id = {batches}.id"
    return RawSQL(sql, [], output_field=models.PositiveSmallIntegerField())


def number_in_start_order(batches) -> None:
    """Number unsaved ``batches`` in start order, after their grains' highest stored
    number, for ``bulk_create()`` (which does not call ``save()``)."""
    counts = dict(
        Batch.objects.filter(culture__in={batch.culture_id for batch in batches})
        .values("culture")
        .annotate(highest=Max("number"))
        .values_list("culture", "highest")
    )
    for batch in sorted(batches, key=lambda b: b.started_at):
        counts[batch.culture_id] = counts.get(batch.culture_id, 0) + 1
        batch.number = counts[batch.culture_id]


def positive(limit, unit, what):
    return [
        MinValueValidator(Decimal("0.1"), f"{what} must be more than 0 {unit}."),
        MaxValueValidator(limit, f"{what} must be at most {limit:,} {unit}."),
    ]


def _person(verbose_name):
    """Who did something to a batch; it stays the kitchen's when they leave."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        editable=False,
    )


# Who started the batch (``owner``, its name from before kitchens) and who did each
# one-tap change; an Undo forgets who did what it takes back.
PEOPLE = ("owner", "strained_by", "bottled_by", "finished_by", "discarded_by")


class Batch(models.Model):
    """One fermentation: grains put into a base at a start time, strained later."""

    # Always its grains' kitchen (``take_kitchen``), kept on the batch for the indexes.
    kitchen = models.ForeignKey(
        "kitchens.Kitchen", on_delete=models.CASCADE, related_name="batches", editable=False
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="batches",
        verbose_name="started by",
    )
    strained_by = _person("strained by")
    bottled_by = _person("bottled by")
    finished_by = _person("second ferment finished by")
    discarded_by = _person("discarded by")
    # RESTRICT: grains that made batches cannot be deleted, only retired.
    culture = models.ForeignKey(Culture, on_delete=models.RESTRICT, related_name="batches")
    # "Batch N of these grains", written on the jar: given when the batch is logged
    # (the next after the grains' highest, even for a batch logged late), never changed.
    number = models.PositiveIntegerField(editable=False)
    base = models.CharField(max_length=7, choices=Base, default=Base.COW)
    volume_ml = models.DecimalField(
        "volume",
        max_digits=7,
        decimal_places=1,
        validators=positive(MAX_VOLUME_ML, "ml", "Volume"),
    )
    grains_in_g = models.DecimalField(
        "grains in",
        max_digits=6,
        decimal_places=1,
        validators=positive(MAX_GRAINS_G, "g", "Grains in"),
    )
    sugar_g = models.DecimalField(
        "sugar",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=positive(MAX_SUGAR_G, "g", "Sugar"),
    )
    started_at = models.DateTimeField(default=timezone.now)
    strained_at = models.DateTimeField(null=True, blank=True)
    room_temp_c = models.DecimalField(
        "room temperature",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(MIN_ROOM_C, f"Room temperature must be at least {MIN_ROOM_C} °C."),
            MaxValueValidator(MAX_ROOM_C, f"Room temperature must be at most {MAX_ROOM_C} °C."),
        ],
    )
    grains_out_g = models.DecimalField(
        "grains out",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=positive(MAX_GRAINS_G, "g", "Grains out"),
    )
    flavourings = models.CharField(max_length=200, blank=True)
    bottled_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    discarded = models.BooleanField(default=False)
    # When it was thrown away: the first ferment's clock stops there. Empty for
    # batches discarded before this was recorded.
    discarded_at = models.DateTimeField(null=True, blank=True)
    discard_reason = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The latest one-tap change and when it was made (not the time typed for it), for Undo.
    last_action = models.CharField(max_length=7, choices=Action, blank=True)
    last_action_at = models.DateTimeField(null=True, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name_plural = "batches"
        indexes = [
            models.Index(fields=["kitchen", "-started_at", "-id"], name="batch_kitchen_history"),
            models.Index(fields=["culture", "-started_at", "-id"], name="batch_culture_history"),
            # Today's "fermenting now": a handful of rows among years of strained ones.
            models.Index(
                fields=["kitchen", "started_at"],
                condition=Q(strained_at__isnull=True, discarded=False),
                name="batch_kitchen_fermenting",
            ),
            # Today's just-strained cards (their Undo): the last minutes' one-tap changes.
            models.Index(fields=["kitchen", "last_action_at"], name="batch_kitchen_undo"),
            # Today's "waiting for a tasting": the last days' range of the strained ones.
            models.Index(
                fields=["kitchen", "strained_at"],
                condition=Q(strained_at__isnull=False, bottled_at__isnull=True, discarded=False),
                name="batch_kitchen_strained",
            ),
            # Today's "second ferment": the few batches in bottles now.
            models.Index(
                fields=["kitchen", "bottled_at"],
                condition=Q(bottled_at__isnull=False, finished_at__isnull=True, discarded=False),
                name="batch_kitchen_in_bottles",
            ),
        ]
        constraints = [
            # One colony ferments one batch at a time.
            models.UniqueConstraint(
                fields=["culture"],
                condition=Q(strained_at__isnull=True, discarded=False),
                name="batch_one_fermenting_per_culture",
                violation_error_message="These grains are already fermenting a batch.",
            ),
            models.UniqueConstraint(
                fields=["culture", "number"],
                name="batch_number_unique_per_culture",
                violation_error_message="These grains already have a batch with this number.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=MAX_BATCH_NUMBER),
                name="batch_number_positive",
                violation_error_message="A batch number is from 1 to 1,000,000.",
            ),
            models.CheckConstraint(
                condition=Q(volume_ml__gt=0, volume_ml__lte=MAX_VOLUME_ML),
                name="batch_volume_in_range",
                violation_error_message=f"Volume must be more than 0 and at most {MAX_VOLUME_ML:,} ml.",
            ),
            models.CheckConstraint(
                condition=Q(grains_in_g__gt=0, grains_in_g__lte=MAX_GRAINS_G),
                name="batch_grains_in_in_range",
                violation_error_message=f"Grains in must be more than 0 and at most {MAX_GRAINS_G:,} g.",
            ),
            models.CheckConstraint(
                condition=Q(grains_out_g__isnull=True)
                | Q(grains_out_g__gt=0, grains_out_g__lte=MAX_GRAINS_G),
                name="batch_grains_out_in_range",
                violation_error_message=f"Grains out must be more than 0 and at most {MAX_GRAINS_G:,} g.",
            ),
            models.CheckConstraint(
                condition=Q(sugar_g__isnull=True) | Q(sugar_g__gt=0, sugar_g__lte=MAX_SUGAR_G),
                name="batch_sugar_in_range",
                violation_error_message=f"Sugar must be more than 0 and at most {MAX_SUGAR_G:,} g.",
            ),
            models.CheckConstraint(
                condition=Q(room_temp_c__isnull=True)
                | Q(room_temp_c__gte=MIN_ROOM_C, room_temp_c__lte=MAX_ROOM_C),
                name="batch_room_temp_plausible",
                violation_error_message=(
                    f"Room temperature must be between {MIN_ROOM_C} and {MAX_ROOM_C} °C."
                ),
            ),
            models.CheckConstraint(condition=Q(base__in=Base.values), name="batch_base_valid"),
            models.CheckConstraint(
                condition=Q(strained_at__isnull=True) | Q(strained_at__gte=models.F("started_at")),
                name="batch_strained_after_start",
                violation_error_message="Strained time cannot be before the start.",
            ),
            models.CheckConstraint(
                condition=Q(bottled_at__isnull=True)
                | Q(strained_at__isnull=False, bottled_at__gte=models.F("strained_at")),
                name="batch_bottled_after_strain",
                violation_error_message="Bottling comes after straining.",
            ),
            models.CheckConstraint(
                condition=Q(discarded_at__isnull=True)
                | Q(discarded=True, discarded_at__gte=models.F("started_at")),
                name="batch_discarded_after_start",
                violation_error_message="A batch is discarded after it started.",
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True)
                | Q(bottled_at__isnull=False, finished_at__gte=models.F("bottled_at")),
                name="batch_finished_after_bottling",
                violation_error_message="The second ferment cannot finish before it was bottled.",
            ),
        ]

    def __str__(self):
        return f"{self.culture} in {self.get_base_display()}, {self.started_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        self.take_kitchen()
        if self.number is not None:
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            Culture.objects.lock(self.culture_id)
            self.number = self.next_number(self.culture_id)
            return super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("batches:detail", args=[self.pk])

    def take_kitchen(self) -> None:
        """A batch is in the kitchen of its grains."""
        culture = linked(self, "culture") if self.kitchen_id is None else None
        if culture is not None:
            self.kitchen_id = culture.kitchen_id

    def clean_fields(self, exclude=None):
        self.take_kitchen()
        # Who did a one-tap change is the signed-in person, set by the services: asking
        # the database whether they exist is a query per tap for nothing.
        return super().clean_fields([*(exclude or ()), *PEOPLE[1:]])

    @staticmethod
    def next_number(culture_id) -> int:
        """The number the grains' next batch gets: one more than their highest. Ask with
        the grains locked (``Culture.objects.lock``), so that two batches logged at once
        cannot take the same one."""
        highest = Batch.objects.filter(culture_id=culture_id).aggregate(n=Max("number"))
        return (highest["n"] or 0) + 1

    def clean(self):
        super().clean()
        culture = linked(self, "culture")
        starter = linked(self, "owner") if self._state.adding else None
        if culture and (
            (self.kitchen_id and culture.kitchen_id != self.kitchen_id)
            # A new batch is started by someone in the grains' kitchen now.
            or (starter and starter.current_kitchen_id != culture.kitchen_id)
        ):
            raise ValidationError({"culture": "These grains belong to someone else's kitchen."})
        if culture is not None and self.base in Base.values:
            kind = Base(self.base).kind
            if culture.kind != kind:
                raise ValidationError(
                    {
                        "base": (
                            f"{culture.name} are {culture.get_kind_display()}; "
                            + (
                                "they ferment sugar water, not milk."
                                if culture.kind == Kind.WATER
                                else "they ferment milk, not sugar water."
                            )
                        )
                    }
                )
        if self.base == Base.WATER and self.sugar_g is None:
            raise ValidationError({"sugar_g": "Water kefir needs sugar: how many grams?"})
        self._check_timeline()

    def _check_timeline(self):
        """The time-order constraints, with their messages, told next to the field that breaks them."""
        errors = implausible_times(self, ["started_at", "strained_at", "bottled_at", "finished_at"])
        if errors:
            raise ValidationError(errors)
        if self.strained_at and self.started_at and self.strained_at < self.started_at:
            errors["strained_at"] = "Strained time cannot be before the start."
        if self.bottled_at and (not self.strained_at or self.bottled_at < self.strained_at):
            errors["bottled_at"] = "Bottling comes after straining."
        if self.finished_at and (not self.bottled_at or self.finished_at < self.bottled_at):
            errors["finished_at"] = "The second ferment cannot finish before it was bottled."
        if self.discarded_at and (
            not self.discarded or (self.started_at and self.discarded_at < self.started_at)
        ):
            errors["discarded_at"] = "A batch is discarded after it started."
        if errors:
            raise ValidationError(errors)

    @property
    def status(self) -> BatchStatus:
        if self.discarded:
            return BatchStatus.DISCARDED
        if self.strained_at is None:
            return BatchStatus.FERMENTING
        if self.finished_at is not None:
            return BatchStatus.DONE
        if self.bottled_at is not None:
            return BatchStatus.SECOND_FERMENT
        return BatchStatus.DONE if self.is_tasted else BatchStatus.STRAINED

    @property
    def is_tasted(self) -> bool:
        """From the ``best_rating`` annotation or prefetched notes when there, else one query."""
        if hasattr(self, "best_rating"):
            return self.best_rating is not None
        return self.tasting_notes.exists()

    @property
    def undoable_action(self) -> str:
        """The latest one-tap change ("Strained") while it can still be undone, else ""."""
        if not self.last_action or self.last_action_at is None:
            return ""
        if timezone.now() - self.last_action_at > UNDO_FOR:
            return ""
        return self.get_last_action_display()

    @property
    def duration(self):
        """First-ferment time: until strained or discarded, or until now while fermenting;
        None for a batch discarded unstrained before discard times were kept."""
        if self.strained_at is not None:
            return self.strained_at - self.started_at
        if self.discarded:
            return self.discarded_at and self.discarded_at - self.started_at
        return timezone.now() - self.started_at

    @property
    def growth_g(self):
        if self.grains_out_g is None:
            return None
        return self.grains_out_g - self.grains_in_g

    @property
    def growth_percent(self):
        if self.grains_out_g is None:
            return None
        return round((self.grains_out_g - self.grains_in_g) * 100 / self.grains_in_g)

    @property
    def names_people(self) -> bool:
        """Whether the timeline says who did what: in a kitchen of more than one
        (``kitchen_size``, from ``with_people()``)."""
        return (getattr(self, "kitchen_size", None) or 1) > 1

    @cached_property
    def people(self) -> dict[int, str]:
        """{user id: User.shown_name} of who started it, did its one-tap changes and
        tasted it, in a kitchen of several (``names_people``); else empty, and no query.
        Their names alone: joining five whole user rows made the batch page twice as slow."""
        if not self.names_people:
            return {}
        ids = {getattr(self, f"{field}_id") for field in PEOPLE}
        ids |= {note.author_id for note in self.tasting_notes.all()}
        User = self._meta.get_field("owner").related_model
        people = User.objects.filter(pk__in=ids - {None}).only("first_name", "username")
        return {person.pk: person.shown_name for person in people}

    def timeline(self):
        """(when, what) events in time order, "Strained by Pavel" in a kitchen of
        several (``names_people``); uses prefetched tasting notes when there."""
        people = self.people

        def by(what, person_field, note=""):
            name = people.get(getattr(self, f"{person_field}_id"))
            return f"{what} by {name}{note}" if name else f"{what}{note}"

        events = [(self.started_at, by("Started", "owner"))]
        if self.strained_at:
            events.append((self.strained_at, by("Strained", "strained_by")))
        if self.bottled_at:
            with_what = f" with {self.flavourings}" if self.flavourings else ""
            events.append(
                (self.bottled_at, by("Bottled", "bottled_by", f" for a second ferment{with_what}"))
            )
        if self.finished_at:
            events.append((self.finished_at, by("Second ferment finished", "finished_by")))
        if self.discarded_at:
            because = f": {self.discard_reason}" if self.discard_reason else ""
            events.append((self.discarded_at, by("Discarded", "discarded_by", because)))
        for note in self.tasting_notes.all():
            name = people.get(note.author_id)
            who = f" by {name}" if name else ""
            events.append((note.tasted_at, f"Tasted{who}: {note.rating}/5"))
        return sorted(events, key=lambda event: event[0])


class TastingNoteQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(in_current_kitchen(user, "batch__kitchen"))


def one_to_five(what):
    return [
        MinValueValidator(1, f"{what} is from 1 to 5."),
        MaxValueValidator(5, f"{what} is from 1 to 5."),
    ]


class TastingNote(models.Model):
    """A dated judgement of a batch; a batch can have several."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="tasting_notes")
    author = _person("tasted by")
    tasted_at = models.DateTimeField(default=timezone.now)
    rating = models.PositiveSmallIntegerField(validators=one_to_five("Rating"))
    sourness = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=one_to_five("Sourness")
    )
    fizz = models.PositiveSmallIntegerField(null=True, blank=True, validators=one_to_five("Fizz"))
    thickness = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=one_to_five("Thickness")
    )
    notes = models.TextField(blank=True)

    objects = TastingNoteQuerySet.as_manager()

    class Meta:
        ordering = ["tasted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5),
                name="tasting_rating_1_to_5",
                violation_error_message="Rating is from 1 to 5.",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True})
                    | Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
                    name=f"tasting_{field}_1_to_5",
                    violation_error_message=f"{field.capitalize()} is from 1 to 5.",
                )
                for field in ("sourness", "fizz", "thickness")
            ],
        ]

    def __str__(self):
        return f"{self.rating}/5 for {self.batch}"

    def get_absolute_url(self):
        return self.batch.get_absolute_url()

    def clean(self):
        super().clean()
        if errors := implausible_times(self, ["tasted_at"]):
            raise ValidationError(errors)
        batch = linked(self, "batch")
        if batch and self.tasted_at and batch.started_at and self.tasted_at < batch.started_at:
            raise ValidationError({"tasted_at": "It cannot be tasted before it was started."})

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, connections, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from tree_queries.fields import TreeNodeForeignKey
from tree_queries.query import TreeQuerySet

from kefir_tracker.kitchens.models import in_current_kitchen

MAX_GRAINS_G = 2000
HUNGRY_AFTER = timedelta(days=3)
MILK_CHANGE_AFTER = timedelta(days=10)
BEFORE_ANY_BATCH = datetime(1, 1, 1, tzinfo=UTC)
NON_DAIRY_STREAK = 3
# The bases (batches.models.Base) that keep milk grains strong; after NON_DAIRY_STREAK
# batches in a row in anything else, they are due one of these.
DAIRY_MILKS = ("cow", "goat")
MAX_GENERATIONS = 100_000
# How long a one-tap change offers its Undo.
UNDO_FOR = timedelta(minutes=10)


class Kind(models.TextChoices):
    MILK = "milk", "milk kefir grains"
    WATER = "water", "water kefir grains"


class Origin(models.TextChoices):
    BOUGHT = "bought", "bought"
    GIFT = "gift", "a gift"
    SPLIT = "split", "split from other grains"
    UNKNOWN = "unknown", "unknown"


class Status(models.TextChoices):
    ACTIVE = "active", "active"
    RESTING = "resting", "resting in the fridge"
    DRIED = "dried", "dried"
    RETIRED = "retired", "retired"
    GIVEN_AWAY = "given_away", "given away"


def linked(obj, name):
    """The object that ``obj``'s foreign key ``name`` points to, saved or not yet (as in an
    import, which checks every record before it writes any); None when there is none."""
    descriptor = getattr(type(obj), name)
    if descriptor.is_cached(obj) or getattr(obj, descriptor.field.attname) is not None:
        return getattr(obj, name)
    return None


class CultureQuerySet(TreeQuerySet):
    def for_user(self, user):
        """The grains of the kitchen ``user`` is in now (kitchens.models)."""
        return self.filter(in_current_kitchen(user))

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for culture in objs:
            culture.take_kitchen()
        return super().bulk_create(objs, *args, **kwargs)

    def active(self):
        return self.filter(status=Status.ACTIVE)

    def with_lineage(self, user):
        """Generation (``tree_depth``) and ``tree_path`` within the forest of the
        user's kitchen.

        One recursive query, whatever the depth or width of the trees.
        """
        return (
            self.for_user(user).with_tree_fields().tree_filter(kitchen_id=user.current_kitchen_id)
        )

    # The two walks below carry ids alone along parent links, so a generation
    # costs the same at any depth; ``with_lineage`` builds a path string per row
    # that grows with depth (a line 1,000 generations deep took 25 ms a query).
    # Both guard against a loop of parents, which the database does not forbid.

    def ancestry(self, kitchen_id, pk) -> list[int]:
        """Pks from the culture ``pk`` up to its first known grains, itself first;
        empty if it is not the kitchen's. One query."""
        return [pk for pk, _parent, _steps in self._walk(kitchen_id, pk, up=True)]

    def descendant_rows(self, kitchen_id, pk) -> list[tuple[int, int, str]]:
        """(pk, parent pk, name) of every split below the culture ``pk``. One query."""
        rows = self._walk(kitchen_id, pk, up=False, name=True)
        return [(pk, parent, name) for pk, parent, steps, name in rows if steps]

    def _walk(self, kitchen_id, pk, *, up: bool, name=False) -> list[tuple]:
        """(pk, parent pk, steps[, name]) from the culture ``pk`` along parent links,
        up to the root or down to every split, nearest first."""
        if not 0 < pk < 2**63:  # no row has such an id (and SQLite cannot take it)
            return []
        table = connections[self.db].ops.quote_name(self.model._meta.db_table)
        follow = "c.id = walk.parent_id" if up else "c.parent_id = walk.id"
        named = ", name" if name else ""  # names only where they are needed: 0.3 ms at depth 1,000
        sql = f"""
            WITH RECURSIVE walk (id, parent_id, steps{named}) AS (
                SELECT id, parent_id, 0{named} FROM {table} WHERE id = %s AND kitchen_id = %s
                UNION ALL
                SELECT c.id, c.parent_id, walk.steps + 1{named.replace(" ", " c.")} FROM {table} c
                JOIN walk ON {follow}
                WHERE c.kitchen_id = %s AND walk.steps < %s
            )
            SELECT id, parent_id, steps{named} FROM walk ORDER BY steps"""
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [pk, kitchen_id, kitchen_id, MAX_GENERATIONS])
            return cursor.fetchall()

    def lock(self, pk) -> None:
        """Lock the culture ``pk``'s row until the transaction ends (a no-op on SQLite,
        whose write transactions run one at a time anyway)."""
        list(self.select_for_update().filter(pk=pk).values_list("pk"))

    def with_stats(self):
        """Reuse, feeding, weight and dairy-rotation figures, one subquery each.

        Adds ``reuse_count``, ``volume_ml_total``, ``last_fed_at`` (of the batches not
        discarded: a discarded one made no kefir, and its milk went away) and the grains
        that went into that batch (``fed_g``), the latest weighing (``weighed_g``,
        ``weighed_at``), the latest grains out of a batch (``strained_g``,
        ``strained_at``), ``non_dairy_streak`` (batches
        in a row, newest first, in a non-dairy base; ``needs_dairy`` reads it).
        """
        return self.with_dairy_rotation().annotate(**_stats())

    def with_last_fed(self):
        """Adds ``last_fed_at`` alone (see with_stats()), which ``fed_since`` and
        ``food_due`` read."""
        return self.annotate(last_fed_at=_stats()["last_fed_at"])

    def with_dairy_rotation(self):
        """Adds ``non_dairy_streak`` (the latest batches in a row in a plant milk), which
        ``Culture.needs_dairy`` reads."""
        return self.annotate(**_dairy_rotation())


# The figures above are correlated subqueries written in SQL (portable between
# SQLite and PostgreSQL). Built with the ORM, the eight of them took Django
# 1.8 ms to compile for every query of cultures, while the database ran them
# in 0.07 ms (24 cultures at 10,000 batches); as RawSQL they cost nothing to
# compile. Each refers to the outer query's culture row by its table name,
# so they are for querysets of cultures, not for subqueries of them.
#
# The batches app builds on this one (a batch belongs to grains), so Batch is
# reached through its foreign key to Culture, not imported.


def _tables():
    quote = connection.ops.quote_name
    batch_model = Culture.batches.field.model
    return {
        "culture": quote(Culture._meta.db_table),
        "batch": quote(batch_model._meta.db_table),
        "weighing": quote(Weighing._meta.db_table),
    }


def _per_culture(sql, output_field, params=()):
    """``sql`` about the outer culture row, which it names {culture}; tables {batch}, {weighing}."""
    return RawSQL(sql.format(**_tables()), params, output_field=output_field)


@cache
def _stats():
    latest_strained = (
        "SELECT b.{column} FROM {batch} b WHERE b.culture_id = {culture}.id"
        " AND b.strained_at IS NOT NULL AND b.grains_out_g IS NOT NULL"
        " ORDER BY b.strained_at DESC, b.id DESC LIMIT 1"
    )
    latest_weighing = (
        "SELECT w.{column} FROM {weighing} w WHERE w.culture_id = {culture}.id"
        " ORDER BY w.weighed_at DESC, w.id DESC LIMIT 1"
    )
    latest_fed = (
        "SELECT b.grains_in_g FROM {batch} b WHERE b.culture_id = {culture}.id"
        " AND NOT b.discarded ORDER BY b.started_at DESC, b.id DESC LIMIT 1"
    )
    grams = models.DecimalField(max_digits=6, decimal_places=1)
    return {
        "reuse_count": _per_culture(
            "SELECT COUNT(*) FROM {batch} b WHERE b.culture_id = {culture}.id AND NOT b.discarded",
            models.IntegerField(),
        ),
        "volume_ml_total": _per_culture(
            "SELECT COALESCE(SUM(b.volume_ml), 0) FROM {batch} b"
            " WHERE b.culture_id = {culture}.id AND NOT b.discarded",
            models.DecimalField(max_digits=12, decimal_places=1),
        ),
        "last_fed_at": _per_culture(
            "SELECT MAX(b.started_at) FROM {batch} b"
            " WHERE b.culture_id = {culture}.id AND NOT b.discarded",
            models.DateTimeField(),
        ),
        "fed_g": _per_culture(latest_fed, grams),
        "weighed_g": _per_culture(latest_weighing.replace("{column}", "grams"), grams),
        "weighed_at": _per_culture(
            latest_weighing.replace("{column}", "weighed_at"), models.DateTimeField()
        ),
        "strained_g": _per_culture(latest_strained.replace("{column}", "grains_out_g"), grams),
        "strained_at": _per_culture(
            latest_strained.replace("{column}", "strained_at"), models.DateTimeField()
        ),
    }


@cache
def _dairy_rotation():
    # The run is every non-dairy batch since the latest dairy one (all of them when
    # there was none): two index range scans per culture. The fallback is a constant,
    # not the batch's own time, so the latest dairy batch is looked up once per culture.
    dairy = ", ".join(["%s"] * len(DAIRY_MILKS))
    return {
        "non_dairy_streak": _per_culture(
            "SELECT COUNT(*) FROM {batch} b WHERE b.culture_id = {culture}.id"
            f" AND b.base NOT IN ({dairy}) AND b.started_at >= COALESCE("
            "(SELECT MAX(d.started_at) FROM {batch} d WHERE d.culture_id = {culture}.id"
            f" AND d.base IN ({dairy})), %s)",
            models.IntegerField(),
            [*DAIRY_MILKS, *DAIRY_MILKS, BEFORE_ANY_BATCH],
        ),
    }


@dataclass(frozen=True)
class FoodDue:
    """When grains that are not fermenting a batch need fresh food, and why:
    ``FRESH`` resting grains whose milk (or sugar water) in the fridge is getting old,
    ``HUNGRY`` active milk grains left without fresh milk. Today shows it, and the
    calendar feed and push remind of it (reminders.due)."""

    FRESH = "fresh"
    HUNGRY = "hungry"

    what: str
    since: datetime  # the last fresh food: the moment the rule counts from
    due_at: datetime

    def is_due(self, now: datetime) -> bool:
        return now >= self.due_at


class Culture(models.Model):
    """One living colony of kefir grains; shown to people as "grains"."""

    kitchen = models.ForeignKey(
        "kitchens.Kitchen", on_delete=models.CASCADE, related_name="cultures", editable=False
    )
    # Who added them ("added by"); they stay the kitchen's when that person leaves.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cultures",
        verbose_name="added by",
    )
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=5, choices=Kind, default=Kind.MILK)
    # RESTRICT, not PROTECT: a culture with children cannot be deleted on its
    # own, but deleting a whole account may still take parent and child together.
    parent = TreeNodeForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The grains these were split from.",
    )
    origin = models.CharField(max_length=7, choices=Origin, default=Origin.UNKNOWN)
    source = models.CharField(
        max_length=200, blank=True, help_text="Where they came from: a shop, a friend's name…"
    )
    acquired_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    status_changed_at = models.DateTimeField(default=timezone.now)
    rest_milk_changed_at = models.DateTimeField(
        null=True, blank=True, help_text="When resting grains last got fresh milk."
    )
    given_to = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CultureQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "grains"
        verbose_name_plural = "grains"
        constraints = [
            models.UniqueConstraint(
                "kitchen",
                models.functions.Lower("name"),
                name="culture_name_unique_per_kitchen",
                violation_error_message="You already have grains with this name.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="culture_not_own_parent",
                violation_error_message="Grains cannot be their own parent.",
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="culture_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="culture_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=Origin.values), name="culture_origin_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.take_kitchen()
        return super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("grains:detail", args=[self.pk])

    def take_kitchen(self) -> None:
        """New grains go into the kitchen the person adding them is in now."""
        if self.kitchen_id is None and self.owner_id is not None:
            self.kitchen_id = self.owner.current_kitchen_id

    def clean_fields(self, exclude=None):
        self.take_kitchen()
        return super().clean_fields(exclude)

    def clean(self):
        super().clean()
        if Culture.parent.is_cached(self):  # chosen in a form, or not saved yet (an import)
            parent = self.parent
        elif self.parent_id is not None:
            parent = Culture.objects.filter(pk=self.parent_id).only("kind", "kitchen_id").first()
        else:
            return
        if parent is None:
            return
        if self.kitchen_id and parent.kitchen_id and parent.kitchen_id != self.kitchen_id:
            raise ValidationError({"parent": "Choose grains of this kitchen."})
        if self.pk and self.would_become_own_ancestor(self.parent_id):
            raise ValidationError(
                {"parent": "These grains cannot descend from themselves or their own splits."}
            )
        if parent.kind != self.kind:
            raise ValidationError(
                {
                    "parent": f"The parent grains are {parent.get_kind_display()}; "
                    f"these must be the same kind."
                }
            )

    @property
    def origin_description(self) -> str:
        """Where the grains came from, as people say it: "gift from Grandma Vera"."""
        source = self.source.strip()
        if self.origin == Origin.BOUGHT:
            return f"bought from {source}" if source else "bought"
        if self.origin == Origin.GIFT:
            return f"gift from {source}" if source else "a gift"
        if self.origin == Origin.SPLIT:
            return f"split from {source}" if source else "split from other grains"
        return source or "origin unknown"

    # ---- figures from CultureQuerySet.with_lineage() / with_stats() ----

    @property
    def generation(self) -> int:
        return self.tree_depth

    @property
    def needs_dairy(self) -> bool:
        """Milk grains that should go back to cow or goat milk; False for grains not
        fetched with_dairy_rotation(). In Python, not SQL: a CASE on the streak
        repeated its subquery in the query."""
        streak = getattr(self, "non_dairy_streak", 0)
        return self.kind == Kind.MILK and streak >= NON_DAIRY_STREAK

    @property
    def current_weight_g(self):
        """The latest known weight: a weighing, or the grains put into or taken out of
        a batch, whichever was last (a weighing wins a tie, then grains going in)."""
        known = [
            (when, -rank, grams)
            for rank, (when, grams) in enumerate(
                [
                    (self.weighed_at, self.weighed_g),
                    (self.last_fed_at, self.fed_g),
                    (self.strained_at, self.strained_g),
                ]
            )
            if when is not None and grams is not None
        ]
        if not known:
            return None
        grams = max(known)[2]
        # SQLite hands subquery decimals back as floats: round to the stored tenth.
        return Decimal(str(grams)).quantize(Decimal("0.1"))

    @property
    def fed_since(self):
        """Last fresh food: the latest batch started, or the latest change of status."""
        if self.last_fed_at is None:
            return self.status_changed_at
        return max(self.last_fed_at, self.status_changed_at)

    @property
    def is_hungry(self) -> bool:
        """Milk grains left out of fresh milk for more than three days without a rest."""
        return (
            self.kind == Kind.MILK
            and self.status == Status.ACTIVE
            and timezone.now() - self.fed_since > HUNGRY_AFTER
        )

    @property
    def rest_milk_since(self):
        return self.rest_milk_changed_at or self.status_changed_at

    @property
    def rest_days(self) -> int:
        """Whole days in the same milk (or sugar water) in the fridge."""
        return (timezone.now() - self.rest_milk_since).days

    @property
    def food(self) -> str:
        """What the grains live in, as people say it: "milk" or "sugar water"."""
        return "sugar water" if self.kind == Kind.WATER else "milk"

    @property
    def needs_milk_change(self) -> bool:
        """Resting grains whose milk in the fridge is ten or more days old."""
        return (
            self.status == Status.RESTING
            and timezone.now() - self.rest_milk_since >= MILK_CHANGE_AFTER
        )

    @property
    def food_due(self) -> FoodDue | None:
        """When these grains need fresh food, if they are grains that do (resting grains,
        active milk grains); None for the others. Needs ``last_fed_at`` (with_last_fed()
        or with_stats()) for active grains. Says nothing of a batch fermenting now: the
        caller leaves those grains out, their batch is their fresh food."""
        if self.status == Status.RESTING:
            since = self.rest_milk_since
            return FoodDue(FoodDue.FRESH, since, since + MILK_CHANGE_AFTER)
        if self.status == Status.ACTIVE and self.kind == Kind.MILK:
            since = self.fed_since
            return FoodDue(FoodDue.HUNGRY, since, since + HUNGRY_AFTER)
        return None

    def would_become_own_ancestor(self, new_parent_id) -> bool:
        """True if making ``new_parent_id`` the parent would close a loop, at any depth."""
        if self.pk is None:
            return False
        return self.pk in Culture.objects.ancestry(self.kitchen_id, new_parent_id)


class StatusChangeQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(in_current_kitchen(user, "culture__kitchen"))


class StatusChange(models.Model):
    """One change of a culture's status, kept for good: rested, revived, dried, given
    away, retired. It also holds what it replaced, so that it can be undone."""

    culture = models.ForeignKey(Culture, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=10, choices=Status)
    changed_at = models.DateTimeField(default=timezone.now)
    given_to = models.CharField(max_length=200, blank=True)
    from_status = models.CharField(max_length=10, choices=Status)
    from_changed_at = models.DateTimeField()
    from_rest_milk_changed_at = models.DateTimeField(null=True, blank=True)

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values) & Q(from_status__in=Status.values),
                name="status_change_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.culture}: {self.status} at {self.changed_at}"

    @property
    def description(self) -> str:
        """What happened, as the culture page lists it: "Given to Masha"."""
        if self.status == Status.GIVEN_AWAY:
            return f"Given to {self.given_to}" if self.given_to else "Given away"
        if self.status == Status.ACTIVE:
            return "Revived"
        return {
            Status.RESTING: "Rested in the fridge",
            Status.DRIED: "Dried",
            Status.RETIRED: "Retired",
        }[Status(self.status)]

    @property
    def can_be_undone(self) -> bool:
        return timezone.now() - self.changed_at <= UNDO_FOR


class WeighingQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(in_current_kitchen(user, "culture__kitchen"))


class Weighing(models.Model):
    culture = models.ForeignKey(Culture, on_delete=models.CASCADE, related_name="weighings")
    weighed_at = models.DateTimeField(default=timezone.now)
    grams = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        validators=[
            MinValueValidator(Decimal("0.1"), "Weight must be more than 0 g."),
            MaxValueValidator(MAX_GRAINS_G, f"Weight must be at most {MAX_GRAINS_G} g."),
        ],
    )

    objects = WeighingQuerySet.as_manager()

    class Meta:
        ordering = ["-weighed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grams__gt=0) & Q(grams__lte=MAX_GRAINS_G),
                name="weighing_grams_in_range",
                violation_error_message=f"Weight must be more than 0 g and at most {MAX_GRAINS_G} g.",
            ),
        ]
        indexes = [models.Index(fields=["culture", "weighed_at"], name="weighing_culture_time")]

    def __str__(self):
        return f"{self.culture}: {self.grams} g at {timezone.localtime(self.weighed_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return self.culture.get_absolute_url()

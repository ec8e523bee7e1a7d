from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from tree_queries.fields import TreeNodeForeignKey
from tree_queries.query import TreeQuerySet

MAX_GRAINS_G = 2000


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


class CultureQuerySet(TreeQuerySet):
    def for_user(self, user):
        return self.filter(owner=user)

    def active(self):
        return self.filter(status=Status.ACTIVE)


class Culture(models.Model):
    """One living colony of kefir grains; shown to people as "grains"."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cultures"
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
                "owner",
                models.functions.Lower("name"),
                name="culture_name_unique_per_owner",
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

    def get_absolute_url(self):
        return reverse("grains:detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        parent = Culture.objects.filter(pk=self.parent_id).only("kind", "owner_id").first()
        if parent is None:
            return
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

    def would_become_own_ancestor(self, new_parent_id) -> bool:
        """True if making ``new_parent_id`` the parent would close a loop, at any depth."""
        if self.pk is None:
            return False
        return (
            Culture.objects.ancestors(new_parent_id, include_self=True).filter(pk=self.pk).exists()
        )


class WeighingQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(culture__owner=user)


class Weighing(models.Model):
    culture = models.ForeignKey(Culture, on_delete=models.CASCADE, related_name="weighings")
    weighed_on = models.DateField(default=timezone.localdate)
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
        ordering = ["-weighed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grams__gt=0) & Q(grams__lte=MAX_GRAINS_G),
                name="weighing_grams_in_range",
                violation_error_message=f"Weight must be more than 0 g and at most {MAX_GRAINS_G} g.",
            ),
        ]
        indexes = [models.Index(fields=["culture", "weighed_on"], name="weighing_culture_date")]

    def __str__(self):
        return f"{self.culture}: {self.grams} g on {self.weighed_on}"

    def get_absolute_url(self):
        return self.culture.get_absolute_url()

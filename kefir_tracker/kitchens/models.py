"""Kitchens: the people who keep the same grains and log into the same jars.

Grains and batches belong to a kitchen; people are members of kitchens (everyone
starts with one of their own, and may join others by invitation). Who may see a
culture or a batch is decided by ``in_current_kitchen`` alone: the rows of the
kitchen the person is in now, while they are a member of it. Each model's
``for_user`` is that rule, so every page, list, feed and export follows it.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.tokens import normalized_code, token_hash

INVITATION_LASTS = timedelta(days=7)


class Role(models.TextChoices):
    OWNER = "owner", "owner"
    MEMBER = "member", "member"


def in_current_kitchen(user, kitchen_field="kitchen") -> Q:
    """The rows (whose kitchen is reached through ``kitchen_field``) of the kitchen
    ``user`` is in now, while they are a member of it: a removed member sees nothing
    at once. The membership test is a subquery of constants, run once per query;
    the rows themselves are found by kitchen id, along the kitchen's indexes."""
    kitchen_id = getattr(user, "current_kitchen_id", None)
    member = Membership.objects.filter(user_id=user.pk, kitchen_id=kitchen_id)
    return Q(**{f"{kitchen_field}_id": kitchen_id}) & Q(Exists(member))


class KitchenQuerySet(models.QuerySet):
    def for_user(self, user):
        """Every kitchen ``user`` is a member of (a subquery, so that counting a
        kitchen's members counts all of them)."""
        return self.filter(pk__in=Membership.objects.filter(user=user).values("kitchen"))


class Kitchen(models.Model):
    name = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)

    objects = KitchenQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("kitchens:kitchen")


def own_kitchen_name(user) -> str:
    return f"{user.shown_name}'s kitchen"[:80]


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        """The memberships of the kitchen ``user`` is in now (its members)."""
        return self.filter(in_current_kitchen(user))


class Membership(models.Model):
    kitchen = models.ForeignKey(Kitchen, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=6, choices=Role, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kitchen", "user"],
                name="membership_once_per_kitchen",
                violation_error_message="Already a member of this kitchen.",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} in {self.kitchen} ({self.role})"

    def get_absolute_url(self):
        return reverse("kitchens:kitchen")

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER


class InvitationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The invitations of the kitchen ``user`` is in now."""
        return self.filter(in_current_kitchen(user))

    def open(self):
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())

    def opened_by(self, token):
        """The open invitation this code or link opens, with its kitchen; none for a
        used, expired, revoked (deleted) or unknown one, or a token of the wrong shape."""
        code = normalized_code(token)
        if code is None:
            return self.none()
        return self.open().filter(token_hash=token_hash(code)).select_related("kitchen")


class Invitation(models.Model):
    """A single-use, expiring invitation into a kitchen. Only the SHA-256 of its code
    is kept (as for the calendar feed): the link and code are shown once, when made."""

    kitchen = models.ForeignKey(Kitchen, on_delete=models.CASCADE, related_name="invitations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Invitation to {self.kitchen}, made {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("kitchens:kitchen")


def make_own_kitchen(user) -> Kitchen:
    """A new kitchen of ``user``'s own, with them as its owner, and them in it now."""
    kitchen = Kitchen.objects.create(name=own_kitchen_name(user))
    Membership.objects.create(kitchen=kitchen, user=user, role=Role.OWNER)
    user.current_kitchen = kitchen
    get_user_model().objects.filter(pk=user.pk).update(current_kitchen=kitchen)
    return kitchen


class InAnotherKitchen(Http404):
    """Not in the kitchen the person is in now, but in another of theirs (``kitchen``)."""

    def __init__(self, kitchen):
        super().__init__(f"This is in {kitchen.name}.")
        self.kitchen = kitchen


def not_found_here(user, model, pk):
    """The 404 for ``model`` ``pk`` missing from ``user``'s current kitchen: one that
    names the other kitchen of theirs it is in, if it is (one query, on a miss only)."""
    kitchen_id = (
        model.objects.filter(pk=pk, kitchen__memberships__user=user)
        .exclude(kitchen_id=user.current_kitchen_id)
        .values_list("kitchen_id", flat=True)
        .first()
    )
    if kitchen_id is None:
        return Http404(f"No such {model._meta.verbose_name}.")
    return InAnotherKitchen(Kitchen.objects.get(pk=kitchen_id))

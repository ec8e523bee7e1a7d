"""Read-only links to a family tree of grains, opened with no sign-in, and the counts
that rate-limit the pages they open."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.grains.models import Culture
from kefir_tracker.kitchens.models import Membership
from kefir_tracker.tokens import looks_like_token, new_token, token_hash


class ShareLinkQuerySet(models.QuerySet):
    def for_user(self, user):
        """The links to the grains ``user`` keeps, whoever made them: who may see a
        lineage is the grains' own rule (Culture.objects.for_user), in one place."""
        return self.filter(culture__in=Culture.objects.for_user(user))

    def active(self, now=None):
        """Neither turned off nor past their expiry."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )

    def opened_by(self, token):
        """The active link this token opens (none for a token of the wrong shape), with
        who made it and ``kitchen_id``, their grains' kitchen. It opens while the person
        who made it is still a member of that kitchen: one whose account was turned off,
        or who left or was removed, shares nothing."""
        if not looks_like_token(token):
            return self.none()
        member = Membership.objects.filter(user=OuterRef("owner"), kitchen=OuterRef("kitchen_id"))
        return (
            self.active()
            .filter(token_hash=token_hash(token), owner__is_active=True)
            .annotate(kitchen_id=F("culture__kitchen_id"))
            .filter(Exists(member))
            .select_related("owner")
        )


class ShareLink(models.Model):
    """A read-only link (/shared/<token>/) to the family tree of one culture: the whole
    lineage it belongs to, and its own weight and, if chosen, its batches. Only the
    token's SHA-256 is kept, as for the calendar link: it is shown once, when made, and
    the database alone opens nothing. Turned off, a link is kept (with when), not deleted."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="share_links",
        help_text="Who made the link.",
    )
    culture = models.ForeignKey(
        Culture,
        on_delete=models.CASCADE,
        related_name="share_links",
        help_text="The grains whose family tree the link shows.",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(
        max_length=80, blank=True, help_text="Who it is for, seen only by the owner."
    )
    include_batches = models.BooleanField(
        default=False, help_text="Also show the grains' batches: date, base and time only."
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("created_at")),
                name="share_link_expires_after_made",
                violation_error_message="A link expires after it is made.",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("created_at")),
                name="share_link_revoked_after_made",
                violation_error_message="A link is turned off after it is made.",
            ),
        ]
        indexes = [models.Index(fields=["culture", "created_at"], name="share_link_culture_time")]

    def __str__(self):
        return f"Share link to {self.culture}, made {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("sharing:manage", args=[self.culture_id])


def make_link(
    user, culture, *, expires_in: timedelta | None, include_batches: bool, label: str = ""
) -> tuple[ShareLink, str]:
    """A new link to ``culture``'s family tree, made by ``user``; returns it with its
    token, the only time the token exists in full."""
    token = new_token()
    now = timezone.now()
    link = ShareLink.objects.create(
        owner=user,
        culture=culture,
        token_hash=token_hash(token),
        label=label,
        include_batches=include_batches,
        created_at=now,
        expires_at=now + expires_in if expires_in else None,
    )
    return link, token


def revoke(link) -> bool:
    """Turn ``link`` off for good; whether it was still on (not already off or expired)."""
    return bool(ShareLink.objects.active().filter(pk=link.pk).update(revoked_at=timezone.now()))


class VisitWindow(models.Model):
    """How many shared pages one address asked for in one fixed window of time (see
    sharing.throttling). Kept in the database, so that every worker counts the same."""

    address = models.CharField(max_length=45)
    window_start = models.DateTimeField()
    visits = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-window_start", "address"]
        constraints = [
            models.UniqueConstraint("address", "window_start", name="visit_window_unique"),
        ]

    def __str__(self):
        return f"{self.visits} visits from {self.address} from {self.window_start:%H:%M}"

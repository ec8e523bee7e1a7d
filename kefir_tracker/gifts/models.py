"""Gifts of grains that keep their lineage: a single-use link (and a short code) from the
giver's given-away grains to new grains in the recipient's account, and the frozen
snapshot of the ancestors the recipient keeps, whatever happens on the giver's side."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kefir_tracker.grains.models import Culture
from kefir_tracker.tokens import looks_like_token, normalized_code, token_hash

OPEN_FOR = timedelta(days=30)  # a gift not accepted by then opens nothing


class GiftQuerySet(models.QuerySet):
    def for_user(self, user):
        """The gifts of grains ``user`` keeps, on either side: who may see a gift is the
        grains' own rule (Culture.objects.for_user), in one place."""
        kept = Culture.objects.for_user(user)
        return self.filter(Q(culture__in=kept) | Q(received_culture__in=kept))

    def given_by(self, user):
        return self.filter(culture__in=Culture.objects.for_user(user))

    def open(self, now=None):
        """Not accepted, not cut, not expired: what a link or code can still accept."""
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, cut_at__isnull=True, expires_at__gt=now)

    def opened_by(self, key):
        """The open gift a link's token or a typed code opens (none for anything else),
        from a giver whose account is on."""
        if looks_like_token(key):
            found = Q(token_hash=token_hash(key))
        else:
            code = normalized_code(key)
            if code is None:
                return self.none()
            found = Q(code_hash=token_hash(code))
        return self.open().filter(found, giver__is_active=True).select_related("giver", "culture")


class Gift(models.Model):
    """Given-away grains (``culture``, the giver's) offered by a link and a code, used
    once: accepting makes ``received_culture`` in the recipient's account. Only the
    hashes of the token and the code are kept. Cut, a gift stays (with when and by whom)
    and each side keeps its grains; the giver only stops seeing the recipient's."""

    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gifts_given"
    )
    culture = models.ForeignKey(
        Culture,
        on_delete=models.CASCADE,
        related_name="gifts",
        help_text="The given grains, on the giver's side.",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64, unique=True)
    share_ancestry = models.BooleanField(
        default=True, help_text="The recipient may see the ancestors: names, generations, origins."
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gifts_received",
    )
    received_culture = models.ForeignKey(
        Culture,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gifts_received",
        help_text="The grains accepting made, on the recipient's side.",
    )
    share_growth = models.BooleanField(
        default=False, help_text="The giver may see the generations grown from the gift."
    )
    cut_at = models.DateTimeField(null=True, blank=True)
    cut_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = GiftQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="gift_expires_after_made",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(accepted_at__gte=models.F("created_at")),
                name="gift_accepted_after_made",
            ),
        ]

    def __str__(self):
        return f"Gift of {self.culture} made {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_cut(self) -> bool:
        return self.cut_at is not None

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return not self.is_accepted and not self.is_cut and self.expires_at > now

    @property
    def recipient_name(self) -> str:
        return self.recipient.shown_name if self.recipient else "someone"


class ReceivedLineageQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(culture__in=Culture.objects.for_user(user))


class ReceivedLineage(models.Model):
    """Where received grains came from, as it was when they were received (by a gift's
    link, or a file from another installation): who gave them, under what name, and the
    ancestors the giver let through. The recipient's own record: it never changes, and it
    stays when the gift is cut or the giver's grains or account go."""

    class Via(models.TextChoices):
        LINK = "link", "a gift link"
        FILE = "file", "a gift file"

    culture = models.OneToOneField(
        Culture, on_delete=models.CASCADE, related_name="received_lineage"
    )
    via = models.CharField(max_length=4, choices=Via)
    given_by = models.CharField(max_length=150)
    given_name = models.CharField(max_length=80, help_text="Their name at the giver's.")
    given_generation = models.PositiveIntegerField(
        help_text="Their generation at the giver's (0: the first known grains)."
    )
    # [{"name": ..., "generation": n, "origin": ...}, ...], the first known grains first;
    # empty when the giver kept them to themselves.
    ancestors = models.JSONField(default=list, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    objects = ReceivedLineageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.culture}: from {self.given_by}"

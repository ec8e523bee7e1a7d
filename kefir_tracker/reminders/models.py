import hashlib
import re
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet, 256 bits.
TOKEN_BYTES = 32
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(owner=user)

    def opened_by(self, token: str):
        """The feed this secret link opens (none for a token of the wrong shape), with
        its owner; a person whose account was turned off has no feed."""
        if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
            return self.none()
        return self.filter(token_hash=token_hash(token), owner__is_active=True).select_related(
            "owner"
        )


class CalendarFeed(models.Model):
    """A person's calendar feed, opened by a secret link (/calendar/<token>.ics) that
    a calendar app subscribes to. Only the token's SHA-256 is kept, as for a password
    reset: the link is shown once, when it is made, and the database alone cannot
    open anyone's feed. At most one per person; a new link replaces the old one."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Calendar feed of {self.owner}, made {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("accounts:account") + "#calendar"


def make_link(user) -> str:
    """A new secret link for ``user``'s feed, replacing the old one (which stops
    working at once); returns the token, the only time it exists in full."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    # One row per person, updated in place: two taps at once cannot make two.
    CalendarFeed.objects.update_or_create(
        owner=user, defaults={"token_hash": token_hash(token), "created_at": timezone.now()}
    )
    return token


def revoke_link(user) -> bool:
    """Turn off ``user``'s link; whether there was one."""
    deleted, _ = CalendarFeed.objects.for_user(user).delete()
    return bool(deleted)

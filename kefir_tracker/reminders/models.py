from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.tokens import looks_like_token, new_token, token_hash


class CalendarFeedQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(owner=user)

    def opened_by(self, token: str):
        """The feed this secret link opens (none for a token of the wrong shape), with
        its owner; a person whose account was turned off has no feed."""
        if not looks_like_token(token):
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
    token = new_token()
    # One row per person, updated in place: two taps at once cannot make two.
    CalendarFeed.objects.update_or_create(
        owner=user, defaults={"token_hash": token_hash(token), "created_at": timezone.now()}
    )
    return token


def revoke_link(user) -> bool:
    """Turn off ``user``'s link; whether there was one."""
    deleted, _ = CalendarFeed.objects.for_user(user).delete()
    return bool(deleted)

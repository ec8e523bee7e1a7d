import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class PushSubscriptionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(owner=user)


class PushSubscription(models.Model):
    """One browser that gets a person's reminders: the push service's address for it
    (``endpoint``, a secret URL) and the keys the browser made to read what is sent
    (``p256dh``, ``auth``), as ``PushSubscription.toJSON()`` gives them. An endpoint
    belongs to one person: the last one who turned notifications on in that browser."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=50)
    label = models.CharField(max_length=60)  # "Chrome on Android", from the user agent
    created_at = models.DateTimeField(default=timezone.now)

    objects = PushSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.label} of {self.owner}"

    def get_absolute_url(self):
        return reverse("accounts:account") + "#push"

    @property
    def endpoint_digest(self) -> str:
        """Lets the page tell which listed phone it is on without showing the endpoint."""
        return hashlib.sha256(self.endpoint.encode()).hexdigest()

    def as_subscription_info(self) -> dict:
        """What pywebpush sends to."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class SentReminderQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(owner=user)


class SentReminder(models.Model):
    """A reminder (by its key, see reminders/due.py) sent to a person's phones. The row
    is written before anything is sent: the unique constraint lets only one runner
    have it, so two runners at once never send a reminder twice."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    key = models.CharField(max_length=200)
    sent_at = models.DateTimeField(default=timezone.now)

    objects = SentReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="push_reminder_sent_once")
        ]

    def __str__(self):
        return f"{self.key} sent to {self.owner} at {self.sent_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("accounts:account") + "#push"

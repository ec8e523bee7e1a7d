"""Reminders sent to phones by Web Push: what is due now, once, to every phone of the
person who chose it (``send_due``, run by ``manage.py send_reminders``).

Sent once: a reminder is first recorded as sent (a SentReminder row, unique per person
and key); a runner that cannot insert it leaves it to the one that did. So two runners
at once never send it twice, and nothing is held locked while a push service answers.
If no phone took it (every push service failed), the record is taken back and the next
run tries again while the reminder is fresh; if one phone took it, it counts as sent.
A runner killed between the record and the send loses that one reminder: once at most.
"""

import json
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pywebpush import WebPushException, webpush

from kefir_tracker.accounts.models import User
from kefir_tracker.push import keys
from kefir_tracker.push.models import PushSubscription, SentReminder
from kefir_tracker.reminders import due

logger = logging.getLogger(__name__)

# A reminder whose time passed longer ago than this (the server was off, or quiet hours
# held it back) is not sent any more: "ready" hours late is noise, not a reminder.
STALE_AFTER = timedelta(hours=3)
# Records of what was sent are kept this long: well past any reminder still due.
KEEP_SENT = timedelta(days=30)
TIMEOUT_S = 10  # per push service request


class Outcome(Enum):
    DELIVERED = "delivered"
    GONE = "gone"  # the push service no longer knows the phone: subscription removed
    FAILED = "failed"  # tried again on the next run


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str
    tag: str  # a phone shows one notification per tag: a repeat replaces, never piles up
    urgency: str = "normal"  # "high" wakes a sleeping phone at once

    @classmethod
    def for_reminder(cls, reminder: due.Reminder) -> "Message":
        return cls(
            title=reminder.title,
            body=reminder.body,
            url=reminder.url,
            tag=reminder.key,
            urgency="high" if reminder.topic == due.READY else "normal",
        )

    def payload(self) -> str:
        return json.dumps(
            {"title": self.title, "body": self.body, "url": self.url, "tag": self.tag}
        )


def trial_message() -> Message:
    return Message(
        title="Kefir Tracker test",
        body="Notifications reach this phone: your reminders will come like this.",
        url=reverse("accounts:account"),
        tag="test",
        urgency="high",
    )


def deliver(subscription: PushSubscription, message: Message, vapid=None) -> Outcome:
    """Send ``message`` to one phone; a phone its push service forgot is removed."""
    service = urlsplit(subscription.endpoint).netloc
    try:
        webpush(
            subscription.as_subscription_info(),
            data=message.payload(),
            vapid_private_key=vapid or keys.vapid(),
            vapid_claims={"sub": settings.PUSH_CONTACT},  # a new dict: webpush adds "aud"
            ttl=int(STALE_AFTER.total_seconds()),
            headers={"Urgency": message.urgency},
            timeout=TIMEOUT_S,
        )
    except WebPushException as error:
        if error.status_code in (404, 410):
            logger.info("%s no longer knows %s: removed", service, subscription)
            subscription.delete()
            return Outcome.GONE
        logger.warning("Push to %s failed (%s): %s", service, error.status_code, error.message)
        return Outcome.FAILED
    except requests.RequestException as error:
        logger.warning("Push to %s failed: %s", service, error)
        return Outcome.FAILED
    return Outcome.DELIVERED


def deliver_to_phones(user, message: Message) -> Counter:
    """``message`` to every phone of ``user``: how many took it, were gone, failed."""
    vapid = keys.vapid()
    subscriptions = PushSubscription.objects.for_user(user)
    return Counter(deliver(subscription, message, vapid) for subscription in subscriptions)


def due_now(user, now: datetime) -> list[due.Reminder]:
    """What ``user`` chose to hear about, due by ``now`` and still fresh, not yet sent.
    Nothing in the person's quiet hours (what falls in them is due when they end)."""
    if due.in_quiet_hours(user, now):
        return []
    fresh = [r for r in due.upcoming(user, now) if now - STALE_AFTER < r.at <= now]
    sent = set(
        SentReminder.objects.for_user(user)
        .filter(key__in=[r.key for r in fresh])
        .values_list("key", flat=True)
    )
    return [reminder for reminder in fresh if reminder.key not in sent]


def _claim(user, key: str, now: datetime) -> SentReminder | None:
    """The record that ``key`` is sent to ``user``, or None if another runner has it."""
    try:
        with transaction.atomic():
            return SentReminder.objects.create(owner=user, key=key, sent_at=now)
    except IntegrityError:
        return None


def send_due(now: datetime | None = None) -> Counter:
    """Send everything due to everyone with a phone subscribed; what happened, counted."""
    now = now or timezone.now()
    SentReminder.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    counts = Counter()
    people = User.objects.filter(is_active=True, push_subscriptions__isnull=False).distinct()
    for user in people.order_by("pk"):
        for reminder in due_now(user, now):
            record = _claim(user, reminder.key, now)
            if record is None:
                continue
            outcomes = deliver_to_phones(user, Message.for_reminder(reminder))
            counts.update(outcomes)
            if not outcomes[Outcome.DELIVERED]:
                record.delete()  # nobody got it: the next run tries again
    return counts

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kefir_tracker.submissions.forms import OneTimeKeyField
from kefir_tracker.submissions.models import Submission


def earlier_submission(owner, key) -> Submission | None:
    """The submission that already used ``key`` (a UUID, or the text of one), if any."""
    if isinstance(key, str):
        key = OneTimeKeyField().clean(key)
    if key is None:
        return None
    return Submission.objects.filter(owner=owner, key=key).first()


def once(owner, key, make):
    """``make()`` unless ``key`` already made something: returns (what was made, repeated).

    ``make`` returns a model instance, or a list of them. On a repeat, what the
    first submission made (its first instance; None if deleted since). Two
    submissions racing with one key: the unique key lets one commit, and the
    other rolls back what it made and answers with the first one's. The loser
    may instead be refused by a rule the winner's row now breaks (a second
    fermenting batch of the grains): that too is answered as the repeat it is.
    """
    if key is None:
        return make(), False
    earlier = earlier_submission(owner, key)
    if earlier is not None:
        return earlier.made(), True
    try:
        with transaction.atomic():
            made = make()
            first = made[0] if isinstance(made, list) else made  # a split makes several
            Submission.objects.create(
                owner=owner, key=key, made_model=first._meta.label_lower, made_id=first.pk
            )
    except (IntegrityError, ValidationError):
        earlier = earlier_submission(owner, key)
        if earlier is None:
            raise
        return earlier.made(), True
    return made, False


def sent_twice(what: str | None) -> str:
    """What a person is told when a form came again: ``what`` the first one made."""
    if what is None:
        return "Sent twice, saved once (and deleted since)."
    return f"Sent twice, saved once: {what}."

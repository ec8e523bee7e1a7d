import re
import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch
from kefir_tracker.tokens import token_hash

# secrets.token_urlsafe(9): 12 characters of the URL-safe base64 alphabet, 72 random bits.
# Short enough for a small QR code, far too many to guess (and a guess finds nothing: see
# JarCodeQuerySet.opened_by).
CODE_BYTES = 9
CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{12}")


class JarCodeQuerySet(models.QuerySet):
    def for_user(self, user):
        """The codes of the jars ``user`` may open: of their batches, by Batch's own
        ownership helper (so whoever may see a batch may open its label)."""
        return self.filter(batch__in=Batch.objects.for_user(user))

    def in_kitchens_of(self, user):
        """The codes of the jars in any kitchen ``user`` is a member of, not only the one
        they are in now: where a label leads, the batch page then offers to switch."""
        return self.filter(batch__kitchen__memberships__user=user)

    def opened_by(self, code: str):
        """The jar this label's code names (none for a code of the wrong shape).

        Looked up by the code's SHA-256, not the code: the database compares the digest,
        so how long a lookup takes says nothing about how much of a guessed code was
        right, only (to someone who times it) whether the whole code exists, which a
        guess of 72 random bits never finds. Even that is only asked for a signed-in
        person and among their kitchens' jars (``in_kitchens_of`` first): nobody can
        learn from this whether someone else's code exists."""
        if not isinstance(code, str) or not CODE_SHAPE.fullmatch(code):
            return self.none()
        return self.filter(digest=token_hash(code))


class JarCode(models.Model):
    """The code on a batch's printed jar labels: its QR code opens /j/<code>. Made the
    first time the batch's label is printed, then kept, so every label of the jar
    printed since opens it. The code is no key: it opens the batch only for someone
    signed in who may see it; anyone else gets a page that says nothing."""

    batch = models.OneToOneField(Batch, on_delete=models.CASCADE, related_name="jar_code")
    code = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = JarCodeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Jar code of {self.batch}"

    def save(self, *args, **kwargs):
        self.digest = token_hash(self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("labels:jar", args=[self.code])


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def codes_for(batches) -> dict[int, str]:
    """{batch id: code} for ``batches``, making the codes the jars do not have yet. Three
    queries at most, however many jars: two prints at once keep whichever code was
    stored first (the other's is never shown)."""
    ids = [batch.pk for batch in batches]
    codes = dict(JarCode.objects.filter(batch__in=ids).values_list("batch_id", "code"))
    missing = [pk for pk in ids if pk not in codes]
    while missing:  # once, unless two random codes ever met (and one was skipped)
        made = []
        for pk in missing:
            code = new_code()
            made.append(JarCode(batch_id=pk, code=code, digest=token_hash(code)))
        JarCode.objects.bulk_create(made, ignore_conflicts=True)
        codes.update(JarCode.objects.filter(batch__in=missing).values_list("batch_id", "code"))
        missing = [pk for pk in missing if pk not in codes]
    return codes

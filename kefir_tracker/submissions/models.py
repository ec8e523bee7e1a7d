"""One-time keys: a form that creates something is stored once, however often it is sent.

A phone on kitchen Wi-Fi may send a form again when the answer to the first
never arrived (a second tap, a retry, a queued replay). Each such form carries
a key made when it was rendered (or by the phone); the first submission with a
key stores it beside what it made, in the same transaction, and a repeat is
answered with that instead of making a second row (see services.once).
"""

from django.apps import apps
from django.conf import settings
from django.db import models


class Submission(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions"
    )
    key = models.UUIDField()
    made_model = models.CharField(max_length=40)  # "batches.batch"
    made_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("owner", "key", name="submission_key_unique_per_owner")
        ]

    def __str__(self):
        return f"{self.key} made {self.made_model} {self.made_id}"

    def made(self):
        """What the first submission made, or None if it has been deleted since."""
        model = apps.get_model(self.made_model)
        return model.objects.filter(pk=self.made_id).first()

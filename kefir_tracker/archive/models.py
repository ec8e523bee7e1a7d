from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse

# An import checks and writes a file in seconds; a claim this old was left by a
# process that died (a killed worker, a closed terminal) and no longer holds.
CLAIM_LAPSES_AFTER = timedelta(minutes=15)


class ImportUnderWay(models.Model):
    """An import into an account that has begun and not finished: at most one per
    account, so two uploads at once (a repeated tap, two tabs, the page and the
    command) cannot both add the same file. Deleted when the import ends."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField()

    class Meta:
        ordering = ["started_at"]
        verbose_name = "import under way"
        verbose_name_plural = "imports under way"

    def __str__(self):
        return f"{self.filename or 'a file'} into {self.owner}, since {self.started_at:%H:%M:%S}"

    def get_absolute_url(self):
        return reverse("archive:your_data")

import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from kefir_tracker.owner_cache import new_version


@cache  # available_timezones() reads the zone database from disk: ~10-20 ms a call
def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class TemperatureUnit(models.TextChoices):
    CELSIUS = "C", "°C"
    FAHRENHEIT = "F", "°F"


class VolumeUnit(models.TextChoices):
    MILLILITRES = "ml", "millilitres"
    CUPS = "cup", "cups"


class User(AbstractUser):
    """A member of the household; everything they log belongs to them.

    Preferences live on the user: they are few, always needed together with
    the user, and never shared.
    """

    time_zone = models.CharField(
        max_length=64,
        default=settings.TIME_ZONE,
        choices=time_zone_choices,
        help_text="Times are shown in this zone.",
    )
    temperature_unit = models.CharField(
        max_length=1, choices=TemperatureUnit, default=TemperatureUnit.CELSIUS
    )
    volume_unit = models.CharField(max_length=3, choices=VolumeUnit, default=VolumeUnit.MILLILITRES)
    # A new random number whenever this person's grains, batches, weighings or
    # tasting notes change; what pages read is remembered under it (owner_cache).
    data_version = models.BigIntegerField(default=new_version, editable=False)

    class Meta:
        ordering = ["username"]

    def __str__(self):
        return self.username

    def save(self, *args, update_fields=None, **kwargs):
        # data_version is written only by owner_cache.data_changed. Saving a user
        # loaded before someone else's change (preferences, password, the admin)
        # would otherwise put the old version back, and pages remembered under it
        # would be served again.
        if not self._state.adding:
            if update_fields is None:  # every loaded field, as a plain save() writes
                deferred = self.get_deferred_fields()
                update_fields = [
                    f.attname
                    for f in self._meta.concrete_fields
                    if not f.primary_key and f.attname not in deferred
                ]
            update_fields = [name for name in update_fields if name != "data_version"]
        super().save(*args, update_fields=update_fields, **kwargs)

import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower


@cache  # available_timezones() reads the zone database from disk: ~10-20 ms a call
def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class TemperatureUnit(models.TextChoices):
    CELSIUS = "C", "°C"
    FAHRENHEIT = "F", "°F"


class VolumeUnit(models.TextChoices):
    MILLILITRES = "ml", "millilitres"
    CUPS = "cup", "cups"


class CaseInsensitiveUserManager(UserManager):
    def get_by_natural_key(self, username):
        """Signing in as "Olga" finds olga: phones capitalise the first letter."""
        return self.get(username__iexact=username)


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

    objects = CaseInsensitiveUserManager()

    class Meta:
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_unique_any_case",
                violation_error_message="Someone here already has this username.",
            )
        ]

    def __str__(self):
        return self.username

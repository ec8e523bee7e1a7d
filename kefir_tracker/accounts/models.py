import os
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models, transaction
from django.db.models.functions import Lower

from kefir_tracker.kitchens.models import make_own_kitchen

# Offered first: the zones most people live in, roughly west to east.
COMMON_TIME_ZONES = (
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Toronto",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Warsaw",
    "Europe/Kyiv",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Jakarta",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)
PLACE_AREAS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Arctic/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)
UTC_NAMES = {
    *("UTC", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT", "Universal", "Zulu"),
    *("GMT", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "Etc/Greenwich", "Greenwich"),
    *("GMT0", "GMT+0", "GMT-0"),
}


def zone_label(name: str) -> str:
    return name.replace("_", " ")


@cache  # available_timezones() reads the zone database from disk: ~10-20 ms a call
def time_zone_choices():
    """Every zone the system knows: what an account may hold (also old names)."""
    return [(name, zone_label(name)) for name in sorted(zoneinfo.available_timezones())]


def _zone_tab_names():
    """The zones of zone.tab, the database's own list of real places, or None."""
    for directory in zoneinfo.TZPATH:
        path = os.path.join(directory, "zone.tab")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as lines:
                rows = (line.split("\t") for line in lines if not line.startswith("#"))
                return {row[2].strip() for row in rows if len(row) >= 3}
    return None


@cache
def curated_time_zones() -> tuple[str, ...]:
    """The zones a person picks from: real places (zone.tab) and UTC; not Etc/GMT+5,
    Factory, localtime, US/Eastern or EST."""
    available = zoneinfo.available_timezones()
    places = _zone_tab_names()
    if places is None:  # a zone database without its tables: keep the place names
        places = {name for name in available if name.startswith(PLACE_AREAS)}
    return tuple(sorted((places & available) | {"UTC"}))


def _zone_file(name):
    for directory in zoneinfo.TZPATH:
        path = os.path.join(directory, *name.split("/"))
        if os.path.isfile(path):
            with open(path, "rb") as data:
                return data.read()
    return None


@cache
def _curated_by_data():
    found = {}
    for name in curated_time_zones():
        found.setdefault(_zone_file(name), []).append(name)
    return found


def canonical_time_zone(name: str) -> str | None:
    """The offered zone for a name a browser reports, or None if it is no zone at all.

    Browsers report some places by old names (Asia/Calcutta, Europe/Kiev); an old
    name whose rules are those of exactly one offered zone becomes that zone.
    """
    name = (name or "").strip()
    if name in UTC_NAMES:
        return "UTC"
    if name in curated_time_zones():
        return name
    if name not in zoneinfo.available_timezones():
        return None
    same = _curated_by_data().get(_zone_file(name), [])
    return same[0] if len(same) == 1 else name


def time_zone_groups(current: str | None = None):
    """Choices for the time-zone select: common zones first, then all of them; a stored
    zone that is not offered (an old name) is kept as the first choice."""
    offered = curated_time_zones()
    groups = []
    if current and current not in offered:
        groups.append((current, f"{zone_label(current)} (current)"))
    groups.append(("Common", [(name, zone_label(name)) for name in COMMON_TIME_ZONES]))
    groups.append(("All time zones", [(name, zone_label(name)) for name in offered]))
    return groups


class TemperatureUnit(models.TextChoices):
    CELSIUS = "C", "°C"
    FAHRENHEIT = "F", "°F"


class VolumeUnit(models.TextChoices):
    MILLILITRES = "ml", "millilitres"
    CUPS = "cup", "cups"


class ClockHours(models.TextChoices):
    H24 = "24", "24-hour (17:30)"
    H12 = "12", "12-hour (5:30 PM)"


class DateOrder(models.TextChoices):
    DAY_FIRST = "dm", "Day first (3 Mar)"
    MONTH_FIRST = "md", "Month first (Mar 3)"


class CaseInsensitiveUserManager(UserManager):
    def get_by_natural_key(self, username):
        """Signing in as "Olga" finds olga: phones capitalise the first letter."""
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A member of the household; what they log belongs to the kitchen they are in.

    Preferences live on the user: they are few, always needed together with
    the user, and never shared.
    """

    # The kitchen whose grains and batches every page shows now (kitchens.models
    # in_current_kitchen); empty only for a moment, while an account is being made.
    current_kitchen = models.ForeignKey(
        "kitchens.Kitchen",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

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
    clock_hours = models.CharField(max_length=2, choices=ClockHours, default=ClockHours.H24)
    date_order = models.CharField(max_length=2, choices=DateOrder, default=DateOrder.DAY_FIRST)
    # What to be reminded of (calendar feed and push), and when not to be.
    remind_ready = models.BooleanField("batches ready", default=True)
    remind_second_ferment = models.BooleanField("second ferments (and burping)", default=True)
    remind_grains = models.BooleanField("grains due fresh milk or sugar water", default=True)
    quiet_from = models.TimeField("quiet from", null=True, blank=True)
    quiet_until = models.TimeField("quiet until", null=True, blank=True)

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

    @property
    def shown_name(self) -> str:
        """What other people see of this person (a kitchen's name, a gift's giver): their
        first name, or else their username; never their email."""
        return self.get_short_name().strip() or self.username

    def save(self, *args, **kwargs):
        """A new account starts with a kitchen of its own ("Olga's kitchen")."""
        if not self._state.adding or self.current_kitchen_id is not None:
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            make_own_kitchen(self)

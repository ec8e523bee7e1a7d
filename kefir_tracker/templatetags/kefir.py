"""Template tags and filters used on every page (loaded as a builtin in settings)."""

from datetime import timedelta

from django import template
from django.utils import timezone

from kefir_tracker import units

register = template.Library()


def _user_unit(context, attribute, default):
    user = context.get("user")
    return getattr(user, attribute, default) if user is not None else default


@register.simple_tag(takes_context=True)
def temperature(context, celsius):
    """A stored °C value in the user's preferred unit: {% temperature batch.room_temp_c %}."""
    return units.show_temperature(celsius, _user_unit(context, "temperature_unit", "C"))


@register.simple_tag(takes_context=True)
def volume(context, ml):
    """A stored ml value in the user's preferred unit: {% volume batch.volume_ml %}."""
    return units.show_volume(ml, _user_unit(context, "volume_unit", "ml"))


@register.filter
def grams(value):
    return "" if value is None else f"{units.trim(units.round_to(value, 1))} g"


@register.filter
def hours(delta: timedelta | None):
    """A duration as people say it: '45 min', '18 h 20 min', '2 d 3 h'."""
    if delta is None:
        return ""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hrs, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hrs} h" if hrs else f"{days} d"
    if hrs:
        return f"{hrs} h {minutes} min" if minutes else f"{hrs} h"
    return f"{minutes} min"


# Rows of History repeat these for every batch; Python's formatting is several
# times cheaper than Django's |date and the app speaks English only.


@register.filter
def day(moment):
    """'Tue 3 Mar' in the active time zone, with the year when it is not this year."""
    local = timezone.localtime(moment)
    text = f"{local:%a} {local.day} {local:%b}"
    return text if local.year == timezone.localdate().year else f"{text} {local.year}"


@register.filter
def moment(value):
    """'Tue 3 Mar, 07:30' in the active time zone."""
    local = timezone.localtime(value)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


@register.filter
def short_date(value):
    """A date as '3 Mar 2026'."""
    return f"{value.day} {value:%b %Y}"


@register.simple_tag
def today():
    """Today in the active time zone, as 'Thursday 26 November'."""
    local = timezone.localdate()
    return f"{local:%A} {local.day} {local:%B}"


@register.filter
def iso(moment):
    """The moment in the active time zone as ISO 8601, for <time datetime>."""
    return timezone.localtime(moment).isoformat()


@register.filter
def clock(moment):
    """'07:30' today, 'Tue 07:30' on another day, in the active time zone."""
    local = timezone.localtime(moment)
    time = f"{local:%H:%M}"
    return time if local.date() == timezone.localdate() else f"{local:%a} {time}"

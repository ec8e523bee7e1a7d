"""Template filters used on every page (loaded as a builtin in settings)."""

from datetime import timedelta

from django import template

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

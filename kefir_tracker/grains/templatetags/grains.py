from django import template
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def ago(value):
    """The largest unit only, as people say it on the go: '16 hours ago', '2 months ago'."""
    if value is None:
        return ""
    return f"{timesince(value, depth=1)} ago"


@register.filter
def age(value):
    """Time since ``value`` in its largest unit: '3 days'."""
    return "" if value is None else timesince(value, depth=1)

"""The app's pages are Jinja2 templates (the admin stays on Django's): the
environment with what every template may call, and ``render``, which also
renders one block of a page as the htmx fragment of that page.

Dates are formatted in Python (kefir_tracker.dates, in the reader's clock and
date order): the app speaks English only, and rows of History repeat them for
every batch.
"""

import uuid
from datetime import datetime, timedelta

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render as django_render
from django.template import engines
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince
from django_htmx.http import trigger_client_event
from django_htmx.jinja import htmx_script
from jinja2 import Environment, pass_context
from jinja2_fragments import render_block

from kefir_tracker import dates, units


def render(request, template_name, context=None, status=None):
    """Django's ``render()``; ``"page.html#name"`` renders only ``{% block name %}``
    of that page, with the same context (the fragment an htmx request swaps in)."""
    name, _, block = template_name.partition("#")
    if not block:
        return django_render(request, name, context, status=status)
    backend = engines["jinja2"]
    # What Django's Jinja2 backend gives a whole page, for the block alone.
    context = {**(context or {}), "request": request}
    for processor in backend.template_context_processors:
        context.update(processor(request))
    return HttpResponse(render_block(backend.env, name, block, context), status=status)


def csrf(request):
    """Context processor: the CSRF token and its hidden input, masked once per page.
    (Django's own ``csrf_input`` masks the token again for every form on the page.)"""
    token = get_token(request)
    return {
        "csrf_token": token,
        "csrf_input": format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token
        ),
    }


def wants_fragment(request) -> bool:
    """An htmx swap, not a history restore (which needs the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def page_or_fragment(request, template_name, block, context=None, status=None):
    """The whole page, or for an htmx swap only its ``block``: the one way views choose.
    Views that call it vary on HX-Request (``@vary_on_headers("HX-Request")``)."""
    name = f"{template_name}#{block}" if wants_fragment(request) else template_name
    return render(request, name, context, status=status)


def announce(response, message, focus, level="success"):
    """Say what happened after an htmx swap: static/js/announce.js puts ``message`` in
    the page's live region and the focus on the element ``focus`` (a CSS selector).
    Without JavaScript, the page a post redirects to shows the message (Django's messages)."""
    # "target": the event goes to <body>, as the element that asked may be swapped away.
    params = {"message": message, "focus": focus, "level": level, "target": "body"}
    return trigger_client_event(response, "kefir:done", params, after="settle")


def url(viewname, *args):
    """``url('batches:detail', batch.pk)``: Django's ``reverse()``."""
    return reverse(viewname, args=args)


@pass_context
def temperature(context, celsius):
    """A stored °C value in the reader's unit."""
    user = context.get("user")
    return units.show_temperature(celsius, getattr(user, "temperature_unit", "C"))


@pass_context
def volume(context, ml):
    """A stored ml value in the reader's unit."""
    user = context.get("user")
    return units.show_volume(ml, getattr(user, "volume_unit", "ml"))


def grams(value):
    return "" if value is None else f"{units.trim(units.round_to(value, 1))} g"


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


def day(moment):
    """'Tue 3 Mar' ('Tue Mar 3') in the active time zone, with the year when not this year."""
    local = timezone.localtime(moment)
    return dates.weekday_date(local, year=local.year != datetime.now(local.tzinfo).year)


def moment(value):
    """'Tue 3 Mar, 07:30' in the active time zone and the reader's style; with the year
    when it is not this year."""
    return dates.local_moment(value)


def short_date(value):
    """A date as '3 Mar 2026' (or 'Mar 3, 2026')."""
    return dates.full_date(value)


def day_month(value):
    """A date as '3 Mar' (or 'Mar 3')."""
    return dates.day_and_month(value)


def today():
    """Today in the active time zone, as 'Thursday 26 November'."""
    return dates.long_date(timezone.localdate())


def iso(value):
    """The moment in the active time zone as ISO 8601, for <time datetime>: to the second,
    as HTML allows at most three decimals (Python would give six)."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def clock(value):
    """'07:30' (or '7:30 AM') today, 'Tue 07:30' on another day, in the active time zone."""
    local = timezone.localtime(value)
    time = dates.time_of_day(local)
    if local.date() == timezone.localdate():
        return time
    return f"{dates.WEEKDAYS[local.weekday()]} {time}"


def ago(value):
    """The largest unit only, as people say it on the go: '16 hours ago'."""
    return "" if value is None else f"{timesince(value, depth=1)} ago"


def age(value):
    """Time since ``value`` in its largest unit: '3 days'."""
    return "" if value is None else timesince(value, depth=1)


def plural(count, many="s", one=""):
    """'batch' + plural(n, 'es'): the ending for ``count`` things."""
    return one if count == 1 else many


def capfirst(text):
    text = str(text)
    return text[:1].upper() + text[1:]


def linebreaksbr(text):
    """Typed text, escaped, its line breaks kept."""
    return mark_safe(escape(text).replace("\r\n", "<br>").replace("\n", "<br>"))


def environment(**options):
    env = Environment(**options)
    env.globals.update(
        url=url,
        static=static,
        htmx_script=htmx_script,
        temperature=temperature,
        volume=volume,
        today=today,
        plural=plural,
        one_time_key=uuid.uuid4,  # a form's hidden "once" (kefir_tracker.submissions)
        now=timezone.now,
    )
    env.filters.update(
        grams=grams,
        hours=hours,
        day=day,
        moment=moment,
        short_date=short_date,
        day_month=day_month,
        iso=iso,
        clock=clock,
        ago=ago,
        age=age,
        capfirst=capfirst,
        linebreaksbr=linebreaksbr,
    )
    return env

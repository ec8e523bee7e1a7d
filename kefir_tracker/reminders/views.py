"""The calendar feed (a secret link, no sign-in), the account page's calendar card
(make, renew and turn off the link), and one batch's "Add to calendar" file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from kefir_tracker.batches.models import Batch
from kefir_tracker.reminders import calendar, due
from kefir_tracker.reminders.models import CalendarFeed, make_link, revoke_link
from kefir_tracker.templating import announce, render, wants_fragment
from kefir_tracker.tokens import token_hash

CALENDAR_TYPE = "text/calendar; charset=utf-8"
# Kept in the session from the post that made a link to the page it redirects to,
# which shows it once and forgets it (without JavaScript; htmx gets it at once).
NEW_LINK = "reminders.new_calendar_link"


def _private(response):
    """A feed or file of someone's reminders: kept by no cache, indexed by no robot."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    return response


def feed_link(request, token: str) -> str:
    return request.build_absolute_uri(reverse("reminders:feed", args=[token]))


@login_not_required
@require_safe
def feed(request, token):
    """The person's reminders as a calendar; the same 404 for a link that is unknown,
    turned off, replaced or not a link at all."""
    subscription = CalendarFeed.objects.opened_by(token).first()
    if subscription is None:
        raise Http404
    user = subscription.owner
    body = calendar.feed(user, due.upcoming(user), request.build_absolute_uri)
    return _private(HttpResponse(body, content_type=CALENDAR_TYPE))


@require_safe
def batch_calendar(request, pk):
    """One batch's ready time (or second ferment) as a file to add to a calendar."""
    batch = get_object_or_404(Batch.objects.for_user(request.user).select_related("culture"), pk=pk)
    reminders = due.for_batch(request.user, batch)
    if not reminders:
        messages.info(
            request,
            f"Batch {batch.number} of {batch.culture.name} is neither fermenting nor in a "
            "second ferment: there is nothing to add to a calendar.",
        )
        return redirect(batch)
    response = HttpResponse(
        calendar.one_off(reminders, request.build_absolute_uri), content_type=CALENDAR_TYPE
    )
    name = slugify(batch.culture.name) or "grains"
    response["Content-Disposition"] = f'attachment; filename="kefir-{name}-{batch.number}.ics"'
    return _private(response)


def calendar_context(request, new_token: str | None = None) -> dict:
    """What the account page's calendar card shows: the link if one was just made
    (``new_token``, or the one a plain post left in the session), else whether one exists."""
    token = new_token or request.session.pop(NEW_LINK, None)
    subscription = CalendarFeed.objects.for_user(request.user).first()
    if subscription is None or token is None or token_hash(token) != subscription.token_hash:
        token = None  # turned off or replaced since (another tab, another phone)
    link = feed_link(request, token) if token else None
    return {
        "calendar_feed": subscription,
        "calendar_link": link,
        "calendar_webcal": link and "webcal://" + link.split("://", 1)[1],
    }


def _answer(request, done, new_token=None):
    """The calendar card again (htmx), or the account page with the news."""
    if wants_fragment(request):
        context = calendar_context(request, new_token)
        response = render(request, "accounts/account.html#calendar", context)
        if new_token:
            _private(response)
        return announce(response, done, "#calendar-heading")
    if new_token:
        request.session[NEW_LINK] = new_token
    messages.success(request, done)
    return redirect(reverse("accounts:account") + "#calendar")


@require_POST
@vary_on_headers("HX-Request")
def new_link(request):
    """Make the calendar link, or a new one in place of the old (which stops working)."""
    replaced = CalendarFeed.objects.for_user(request.user).exists()
    token = make_link(request.user)
    done = (
        "Made a new calendar link; the old one no longer works."
        if replaced
        else "Made your calendar link."
    )
    return _answer(request, done + " Copy it now: it is shown only this once.", token)


@require_POST
@vary_on_headers("HX-Request")
def revoke(request):
    if revoke_link(request.user):
        done = "Turned off your calendar link: calendars subscribed to it get nothing more."
    else:
        done = "You have no calendar link."
    return _answer(request, done)

"""A family tree shared by a secret link (no sign-in), and the owner's card that makes
and turns off those links."""

import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from kefir_tracker.accounts.throttling import client_address
from kefir_tracker.grains.models import Culture
from kefir_tracker.grains.views import get_culture
from kefir_tracker.sharing import throttling
from kefir_tracker.sharing.forms import ShareLinkForm
from kefir_tracker.sharing.models import ShareLink, make_link, revoke
from kefir_tracker.sharing.tree import shared_tree
from kefir_tracker.templating import announce, page_or_fragment, render, wants_fragment
from kefir_tracker.tokens import token_hash

# Kept in the session from the post that made a link to the page it redirects to,
# which shows it once and forgets it (without JavaScript; htmx gets it at once).
NEW_LINK = "sharing.new_link"
CARD = "sharing/manage.html"
NOT_FOUND = (
    "This link opens nothing",
    "It may have been turned off or have expired, or only part of it was copied. "
    "Ask whoever sent it for a new one.",
)
TOO_MANY = (
    "Too many pages at once",
    "This address asked for a lot of shared pages in the last minutes. "
    "Wait a few minutes, then open the link again.",
)


def _public(response):
    """A shared page, or its refusal: indexed by no robot, kept by no cache, and the
    secret link never sent on as a Referer."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def refusal(request, status, heading, text):
    """The page a secret link (a share link, a gift) gets when it opens nothing."""
    context = {"status": status, "heading": heading, "text": text, "shell_page": True}
    return _public(render(request, "sharing/unavailable.html", context, status=status))


def throttled(request, now, words=TOO_MANY):
    """Count this visit to a secret link from the person's address; the 429 once it
    opened too many lately (``throttling``), else None."""
    if throttling.allow_visit(client_address(request), now):
        return None
    response = refusal(request, 429, *words)
    response["Retry-After"] = str(throttling.seconds_left(now))
    return response


def _kitchen_clock(user):
    """Times on a shared page are the kitchen's, where the batches were made."""
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


@login_not_required
@require_safe
def shared(request, token):
    """The family tree a link shares; the same 404 for a link that is unknown, turned
    off, expired or not a link at all (nothing tells them apart)."""
    now = timezone.now()
    if (too_many := throttled(request, now)) is not None:
        return too_many
    link = ShareLink.objects.opened_by(token).first()
    if link is None:
        return refusal(request, 404, *NOT_FOUND)
    with timezone.override(_kitchen_clock(link.owner)):
        try:
            tree = shared_tree(link, now)
        except Culture.DoesNotExist:
            return refusal(request, 404, *NOT_FOUND)
        context = {"tree": tree, "culture": tree.culture, "chart": tree.chart, "shell_page": True}
        return _public(render(request, "sharing/shared.html", context))


def share_url(request, token) -> str:
    return request.build_absolute_uri(reverse("sharing:shared", args=[token]))


def _card(request, culture, form=None, new_token=None):
    """The owner's card: the links that work now, a link just made (``new_token``, or
    the one a plain post left in the session), and the form for another."""
    token = new_token or request.session.pop(NEW_LINK, None)
    links = list(ShareLink.objects.for_user(request.user).filter(culture=culture).active())
    if token and token_hash(token) not in {link.token_hash for link in links}:
        token = None  # turned off since (another tab), or another grains' link
    context = {
        "culture": culture,
        "links": links,
        "form": form or ShareLinkForm(),
        "new_link": share_url(request, token) if token else None,
    }
    response = page_or_fragment(request, CARD, "card", context)
    if token:
        response["Cache-Control"] = "private, no-store"  # the link is shown this once
    return response


@require_safe
@vary_on_headers("HX-Request")
def manage(request, culture_pk):
    """The share card: a page of its own, or (htmx) folded out on the grains page."""
    return _card(request, get_culture(request, culture_pk))


def _answer(request, culture, done, new_token=None):
    """The card again (htmx), or its page with the news."""
    if wants_fragment(request):
        return announce(_card(request, culture, new_token=new_token), done, "#share-title")
    if new_token:
        request.session[NEW_LINK] = new_token
    messages.success(request, done)
    return redirect("sharing:manage", culture_pk=culture.pk)


@require_POST
@vary_on_headers("HX-Request")
def create(request, culture_pk):
    culture = get_culture(request, culture_pk)
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        return _card(request, culture, form)
    _, token = make_link(
        request.user,
        culture,
        expires_in=form.expires_in,
        include_batches=form.cleaned_data["include_batches"],
        label=form.cleaned_data["label"].strip(),
    )
    done = "Made a share link. Copy it now: it is shown only this once."
    return _answer(request, culture, done, token)


@require_POST
@vary_on_headers("HX-Request")
def revoke_link(request, pk):
    link = get_object_or_404(
        ShareLink.objects.for_user(request.user).select_related("culture"), pk=pk
    )
    if revoke(link):
        done = "Turned off the link: it opens nothing now."
    else:
        done = "That link was already off."
    return _answer(request, link.culture, done)

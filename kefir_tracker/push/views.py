"""The account page's "Notifications on this phone" card. A browser subscribes and
unsubscribes itself (static/js/push.js posts its PushSubscription as JSON and gets the
card back); a listed phone is removed, and a test notification sent, by plain forms
(or htmx)."""

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from kefir_tracker.push import keys
from kefir_tracker.push.forms import (
    BadSubscription,
    EndpointForm,
    SubscriptionForm,
    browser_label,
    parse_body,
)
from kefir_tracker.push.models import PushSubscription
from kefir_tracker.push.sending import Outcome, deliver_to_phones, trial_message
from kefir_tracker.templating import announce, render, wants_fragment

CARD = "accounts/account.html#push"


def push_context(request) -> dict:
    """What the card shows: the phones subscribed, and the key a browser subscribes with."""
    return {
        "push_subscriptions": list(PushSubscription.objects.for_user(request.user)),
        "push_key": keys.application_server_key(),
    }


def _card(request):
    return render(request, CARD, push_context(request))


def _refused(message: str):
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


@require_POST
def subscribe(request):
    """This browser's subscription, for the person signed in: a browser that was
    someone else's on this phone is now theirs (the last to turn notifications on)."""
    try:
        form = SubscriptionForm(parse_body(request.body))
    except BadSubscription as error:
        return _refused(str(error))
    if not form.is_valid():
        return _refused(form.first_error())
    PushSubscription.objects.update_or_create(
        endpoint=form.cleaned_data["endpoint"],
        defaults={
            "owner": request.user,
            "p256dh": form.cleaned_data["p256dh"],
            "auth": form.cleaned_data["auth"],
            "label": browser_label(request.headers.get("User-Agent", "")),
            "created_at": timezone.now(),
        },
    )
    return _card(request)


@require_POST
def unsubscribe(request):
    """This browser turned notifications off; 404 for an endpoint not the person's."""
    try:
        form = EndpointForm(parse_body(request.body))
    except BadSubscription as error:
        return _refused(str(error))
    if not form.is_valid():
        return _refused(form.first_error())
    mine = PushSubscription.objects.for_user(request.user)
    get_object_or_404(mine, endpoint=form.cleaned_data["endpoint"]).delete()
    return _card(request)


def _answer(request, done: str, level="success"):
    """The card again (htmx), or the account page with the news."""
    if wants_fragment(request):
        return announce(_card(request), done, "#push-heading", level)
    getattr(messages, level)(request, done)
    return redirect(reverse("accounts:account") + "#push")


@require_POST
@vary_on_headers("HX-Request")
def remove(request, pk):
    subscription = get_object_or_404(PushSubscription.objects.for_user(request.user), pk=pk)
    subscription.delete()
    return _answer(request, f"Removed {subscription.label}: it gets no more notifications.")


def _phones(count: int) -> str:
    return f"{count} phone" if count == 1 else f"{count} phones"


@require_POST
@vary_on_headers("HX-Request")
def send_test(request):
    outcomes = deliver_to_phones(request.user, trial_message())
    if not outcomes:
        return _answer(request, "No phone has notifications on: turn them on first.", "warning")
    said = []
    if outcomes[Outcome.DELIVERED]:
        said.append(f"Sent a test notification to {_phones(outcomes[Outcome.DELIVERED])}.")
    if outcomes[Outcome.GONE]:
        said.append(f"Removed {_phones(outcomes[Outcome.GONE])} that no longer take notifications.")
    if outcomes[Outcome.FAILED]:
        said.append(f"{_phones(outcomes[Outcome.FAILED])} could not be reached: try again later.")
    level = "success" if outcomes[Outcome.DELIVERED] else "warning"
    return _answer(request, " ".join(said), level)

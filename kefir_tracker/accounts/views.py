from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.db import connection, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from kefir_tracker.accounts.forms import (
    FirstRunForm,
    PreferencesForm,
    ReminderChoicesForm,
    SignUpForm,
)
from kefir_tracker.accounts.models import User, zone_label
from kefir_tracker.demo import fill_with_demo_year
from kefir_tracker.kitchens.models import Kitchen
from kefir_tracker.push.forms import EndpointForm
from kefir_tracker.push.models import PushSubscription
from kefir_tracker.push.views import push_context
from kefir_tracker.reminders.views import calendar_context
from kefir_tracker.templating import announce, render, wants_fragment


def installation_is_new() -> bool:
    return not User.objects.exists()


def opens_on_first_run(request) -> bool:
    """Whether this page is to open on the first-run page instead: on a brand-new
    installation (nobody has an account yet), where the owner makes theirs."""
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and installation_is_new()
    )


def first_run_first(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if opens_on_first_run(request):
            return redirect("accounts:first_run")
        return view(request, *args, **kwargs)

    return wrapper


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def first_run(request):
    if not installation_is_new():
        return redirect(settings.LOGIN_URL)
    form = FirstRunForm(request.POST or None, offer_demo=settings.OFFER_DEMO)
    if form.is_valid():
        with transaction.atomic():
            if connection.vendor == "postgresql":  # SQLite's BEGIN IMMEDIATE already does
                with connection.cursor() as cursor:
                    cursor.execute(f"LOCK TABLE {User._meta.db_table} IN EXCLUSIVE MODE")
            if not installation_is_new():  # someone else was quicker
                return redirect(settings.LOGIN_URL)
            user = form.save()
            demo = form.cleaned_data.get("demo", False)
            if demo:
                fill_with_demo_year(user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        welcome = f"Welcome, {user.username}! " + (
            "Here is a year of kefir to look around." if demo else "Add your grains to begin."
        )
        if settings.SIGNUP_ENABLED:
            welcome += " Others in your household create their accounts from the sign-in page."
        messages.success(request, welcome)
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/first_run.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def sign_up(request):
    if not settings.SIGNUP_ENABLED:
        raise Http404("Sign-up is turned off on this installation.")
    if opens_on_first_run(request):
        return redirect("accounts:first_run")
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignUpForm(request.POST or None)
    next_url = _safe_next(request)
    if form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            f"Welcome, {user.username}! Add your grains to begin. Times are shown in "
            f"{zone_label(user.time_zone)} on a {user.clock_hours}-hour clock "
            "(tap your name at the top to change that).",
        )
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/sign_up.html", {"form": form, "next": next_url})


def _safe_next(request) -> str:
    """Where to go after signing up (an invitation or a gift opened signed out): a page
    of this site only."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if allowed else ""


def _account_page(request, preferences=None, reminders=None):
    """The account page, with any form sent back with its errors as typed."""
    context = {
        "other_kitchens": Kitchen.objects.for_user(request.user).exclude(
            pk=request.user.current_kitchen_id
        ),
        "form": preferences or PreferencesForm(instance=request.user),
        "reminders_form": reminders or ReminderChoicesForm(instance=request.user),
        **calendar_context(request),
        **push_context(request),
    }
    response = render(request, "accounts/account.html", context)
    if context["calendar_link"]:
        # Shown once: not kept for Back or the back/forward cache either.
        response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def account(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Preferences saved.")
        return redirect("accounts:account")
    return _account_page(request, preferences=form if form.is_bound else None)


@require_POST
@vary_on_headers("HX-Request")
def reminders(request):
    """The reminder choices: saved whole or not at all; with htmx, the card swapped."""
    form = ReminderChoicesForm(request.POST, instance=request.user)
    if form.is_valid():
        form.save(commit=False).save(update_fields=form.Meta.fields)
        done = "Reminder choices saved."
        if not wants_fragment(request):
            messages.success(request, done)
            return redirect(reverse("accounts:account") + "#reminders")
        form = ReminderChoicesForm(instance=request.user)
        response = render(request, "accounts/account.html#reminders", {"reminders_form": form})
        return announce(response, done, "#reminders-heading")
    if wants_fragment(request):
        return render(request, "accounts/account.html#reminders", {"reminders_form": form})
    return _account_page(request, reminders=form)


class SignOutView(LogoutView):
    """Django's sign-out, saying so on the sign-in page it leads to. The phone signed
    out of stops getting the person's notifications: on a phone shared in a kitchen, the
    next person to sign in should not be woken by someone else's jar. static/js/push.js
    puts this browser's push endpoint in the form; without it (no JavaScript, or
    notifications never turned on here) there is nothing of this phone to forget."""

    def post(self, request, *args, **kwargs):
        forgotten = 0
        phone = EndpointForm({"endpoint": request.POST.get("push_endpoint", "")})
        if request.user.is_authenticated and phone.is_valid():
            mine = PushSubscription.objects.for_user(request.user)
            forgotten, _ = mine.filter(endpoint=phone.cleaned_data["endpoint"]).delete()
        response = super().post(request, *args, **kwargs)
        said = "Signed out. See you at the next batch."
        if forgotten:
            said += " This phone gets no more of your notifications."
        messages.info(request, said)
        return response

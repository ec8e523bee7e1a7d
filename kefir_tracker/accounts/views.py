from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kefir_tracker.accounts.forms import PreferencesForm, SignUpForm
from kefir_tracker.accounts.models import zone_label


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def sign_up(request):
    if not settings.SIGNUP_ENABLED:
        raise Http404("Sign-up is turned off on this installation.")
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignUpForm(request.POST or None)
    if form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            f"Welcome, {user.username}! Add your grains to begin. Times are shown in "
            f"{zone_label(user.time_zone)} on a {user.clock_hours}-hour clock "
            "(tap your name at the top to change that).",
        )
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/sign_up.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def account(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Preferences saved.")
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form})


class SignOutView(LogoutView):
    """Django's sign-out, saying so on the sign-in page it leads to."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "Signed out. See you at the next batch.")
        return response

import zoneinfo
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.contrib.auth import middleware as auth_middleware
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from kefir_tracker import dates


class UserTimeZoneMiddleware:
    """Show every time in the signed-in user's own time zone (stored in UTC), on their
    clock (12 or 24 hours) and with their order of day and month."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            dates.activate(
                twelve_hour=user.clock_hours == "12", month_first=user.date_order == "md"
            )
        else:
            timezone.deactivate()
            dates.deactivate()
        try:
            return self.get_response(request)
        finally:
            # The zone is the thread's until deactivated: it must not outlive the
            # request (into the next one's first middleware, or a test's own code).
            timezone.deactivate()
            dates.deactivate()


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's: a signed-out visitor is sent to sign in. An htmx request (its session
    expired, or was ended on another device) gets a client redirect there instead,
    back to the page the person was on (HX-Current-URL), never the sign-in page
    swapped into a card."""

    def handle_no_permission(self, request, view_func):
        if request.headers.get("HX-Request") != "true":
            return super().handle_no_permission(request, view_func)
        current = request.headers.get("HX-Current-URL", "")
        here = urlsplit(current)
        safe = url_has_allowed_host_and_scheme(
            current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        back = urlunsplit(("", "", here.path, here.query, "")) if safe and here.path else "/"
        login_url = self.get_login_url(view_func)
        return HttpResponseClientRedirect(
            f"{resolve_url(login_url)}?{urlencode({self.get_redirect_field_name(view_func): back})}"
        )

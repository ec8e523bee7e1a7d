"""Response headers that a strict browser security policy needs on every page, and
what error reports hide."""

import re

from django.conf import settings
from django.utils.cache import patch_cache_control
from django.utils.regex_helper import _lazy_re_compile
from django.views.debug import SafeExceptionReporterFilter

# No 'unsafe-inline' or 'unsafe-eval' for scripts: htmx is loaded from our own
# origin and the templates carry no inline scripts, styles or hx-on handlers.
APP_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Django's admin sets a few style attributes inline; its scripts are files.
ADMIN_POLICY = APP_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code >= 500:
            return response  # Django's technical error page needs its inline scripts
        admin = request.path.startswith("/admin/")
        response.setdefault("Content-Security-Policy", ADMIN_POLICY if admin else APP_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        # No other site may embed our pages, images or exports as its own resources.
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class PrivatePagesMiddleware:
    """A signed-in person's pages are ``Cache-Control: private, no-cache``: no shared
    cache may keep them and the browser asks again before reusing one, yet Back and
    the back/forward cache still work (``no-store`` would stop both). Views that
    choose their own caching (sign-in's ``never_cache``) keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # not there for WhiteNoise's static files
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_cache=True)
        return response


class SecretsHiddenReporterFilter(SafeExceptionReporterFilter):
    """Django's filter of error reports (the DEBUG page, logged and mailed reports),
    also hiding what is named like DATABASE_URL: the setting, and the environment
    variable that the development server puts in every request's META."""

    hidden_settings = _lazy_re_compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL", flags=re.I
    )

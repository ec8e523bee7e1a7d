"""Response headers that a strict browser security policy needs on every page."""

from django.conf import settings
from django.utils.cache import patch_cache_control

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

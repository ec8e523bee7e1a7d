"""The app's URLs, and views that fail on purpose (for the error pages and reports)."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.urls import path

from kefir_tracker.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


class JarBroke(Exception):
    pass


@login_not_required
def broken(request):
    raise JarBroke("the jar broke")


@login_not_required
def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    *urlpatterns,
    path("test/broken/", broken),
    path("test/forbidden/", forbidden),
]

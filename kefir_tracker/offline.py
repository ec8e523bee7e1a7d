"""The app on a phone with a bad connection: the service worker, served from the root
(/sw.js) so that its scope is the whole app, and the page it shows offline for a page
this phone has not opened before.

The worker's text lists the static files by the URLs the pages use (hashed by the
staticfiles manifest in production), so every release changes the worker: the browser
installs the new one, which fetches the new files and deletes the old caches. It keeps
copies on the phone only (the Cache API): the server caches nobody's pages.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from kefir_tracker.templating import render

# What base.html loads besides our own files (templating.htmx_script); in DEBUG
# django-htmx adds its debug script.
VENDORED = ["django_htmx/htmx-2.min.js"]
VENDORED_IN_DEBUG = ["django_htmx/django-htmx.js"]


def shell_files() -> list[str]:
    """The logical names of the app shell: every file of static/, and htmx."""
    ours = sorted(path for path, _ in finders.FileSystemFinder().list([]))
    return [*ours, *VENDORED, *(VENDORED_IN_DEBUG if settings.DEBUG else [])]


def _version(names, urls) -> str:
    """Changes whenever a file of the shell does. From the hashed URLs in production; in
    development the files are not hashed, so from what they hold."""
    digest = hashlib.sha256("\n".join(urls).encode())
    if settings.DEBUG:
        for name in names:
            path = finders.find(name)
            if path:
                with open(path, "rb") as file:
                    digest.update(file.read())
    return digest.hexdigest()[:16]


@login_not_required
@require_safe
def service_worker(request):
    names = shell_files()
    urls = [static(name) for name in names]
    context = {
        "version": _version(names, urls),
        "shell": urls,
        "outbox_store": static("js/outbox-store.js"),
        "offline_url": reverse("offline"),
        "icon": static("icons/icon-192.png"),
        "sign_in_url": reverse("accounts:login"),
        "sign_up_url": reverse("accounts:sign_up"),
    }
    text = render_to_string("sw.js", context)
    response = HttpResponse(text, content_type="text/javascript; charset=utf-8")
    # Asked again on every check: a new release is picked up on the next visit.
    patch_cache_control(response, no_cache=True)
    return response


@login_not_required
@require_safe
def offline_page(request):
    """Kept by the worker when it is installed, for anyone on this phone: nobody's data,
    so not the signed-in header (``shell_page``)."""
    return render(request, "offline.html", {"shell_page": True})

"""The app's own pages for 400, 403, 404 and 500, each with a way home.

400, 403 and 404 are the app's page (base.html, with the tab bar for someone
signed in). 500 is a page of its own that touches neither the session nor the
database, which may be what failed.
"""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

PAGES = {
    400: (
        "This address did not work",
        "Kefir Tracker could not use this request. If you typed the address, use the one "
        "Kefir Tracker printed when it started; if you followed a link, start again from "
        "Today.",
    ),
    403: (
        "Not allowed",
        "You cannot do that here. If you think you should, sign in again and retry.",
    ),
    404: (
        "Nothing here",
        "There is no page at this address, or it belongs to someone else’s account.",
    ),
}
CSRF_FAILED = (
    "That form had expired",
    "Nothing was saved: the page was open for a long time, or you signed in or out in "
    "another tab since. Go back, reload the page and send it again.",
)


def error_page(request, status, heading, *paragraphs):
    context = {"status": status, "heading": heading, "paragraphs": paragraphs}
    return render(request, "error.html", context, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return error_page(request, 400, *PAGES[400])


@requires_csrf_token
def permission_denied(request, exception=None):
    return error_page(request, 403, *PAGES[403])


@requires_csrf_token
def page_not_found(request, exception=None):
    return error_page(request, 404, *PAGES[404])


def server_error(request):
    # Rendered without the request: no context processor runs, so nothing reads the
    # session, the user or the database.
    return HttpResponseServerError(loader.render_to_string("500.html"))


def csrf_failure(request, reason=""):
    return error_page(request, 403, *CSRF_FAILED)

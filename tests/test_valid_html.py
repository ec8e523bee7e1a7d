"""Every page and every htmx fragment is valid HTML: the Nu HTML checker finds no error.

The documents come from the whole URLconf (the routes the authorization tests
walk, so a new route is checked too), each opened plainly and as an htmx
request, for grains and batches in every state; then every link and every
``data-hx-get`` on those documents (the folded forms, Today's start forms,
History's filters, the next page of rows); then every form posted with bad
input, plainly and with htmx, and the page a successful post leads to (with
its message). All of them go to one run of the checker.
"""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Action, Base
from kefir_tracker.grains.models import Kind, Origin, Status
from kefir_tracker.grains.services import change_status
from kefir_tracker.sharing.models import ShareLink
from tests.checkers import html_errors, require_vnu
from tests.factories import PASSWORD, make_batch, make_culture, make_tasting, make_weighing
from tests.test_authorization import PRIVATE_ROUTES, PUBLIC

HX = {"HTTP_HX_REQUEST": "true"}
# Posted to every form, as a browser can send them: each field a form has is refused
# (-1 ml, a moment before the batch started, a date still to come).
NUMBERS = ["volume_ml", "grains_in_g", "sugar_g", "grains_out_g", "room_temp_c", "grams"]
NUMBERS += ["total_g", "grams_1", "rating", "sourness", "fizz", "thickness"]
MOMENTS = ["started_at", "strained_at", "bottled_at", "finished_at"]
BAD_INPUT = (
    dict.fromkeys(NUMBERS, "-1")
    | dict.fromkeys(MOMENTS, "2000-01-01T07:30")
    | {"weighed_at": "2999-12-31T07:30", "acquired_on": "2999-12-31", "quiet_from": "22:00"}
)
# Posting to these is not a form: it deletes, or signs out.
NOT_FORMS = {"batches:delete", "grains:delete", "accounts:logout", "sharing:revoke"}
LINK = re.compile(r'(?<![\w-])(href|(?:data-)?hx-get)="([^"]+)"')


def kitchen(owner):
    """Grains and batches in every state, a lineage, weighings: (batches, cultures)."""
    now = timezone.now()
    hours = timedelta(hours=1)
    little_b = make_culture(owner, "Little B", origin=Origin.BOUGHT, source="A shop")
    done = make_batch(
        little_b, started_at=now - 150 * hours, strained_at=now - 130 * hours, grains_out_g=27
    )
    make_tasting(done, sourness=3, fizz=2, thickness=4, notes="Tangy,\nthick")
    second_ferment = make_batch(
        little_b,
        started_at=now - 100 * hours,
        strained_at=now - 80 * hours,
        bottled_at=now - 79 * hours,
        flavourings="ginger",
    )
    finished = make_batch(
        little_b,
        started_at=now - 76 * hours,
        strained_at=now - 56 * hours,
        bottled_at=now - 55 * hours,
        finished_at=now - 50 * hours,
        flavourings="lemon",
    )
    discarded = make_batch(
        little_b,
        started_at=now - 48 * hours,
        discarded=True,
        discarded_at=now - 40 * hours,
        discard_reason="Pink mould",
    )
    strained = make_batch(
        little_b,
        started_at=now - 34 * hours,
        strained_at=now - 14 * hours,
        last_action=Action.STRAIN,  # just tapped: Today and its page offer Undo
        last_action_at=now,
    )
    fermenting = make_batch(little_b, started_at=now - 10 * hours)
    for grams, days in ((30, 20), (33, 10), (36, 1)):
        make_weighing(little_b, grams, weighed_at=timezone.now() - timedelta(days=days))

    water = make_culture(owner, "Tibicos", kind=Kind.WATER, origin=Origin.GIFT, source="Anna")
    water_batch = make_batch(water, started_at=now - 30 * hours)
    soy = make_culture(owner, "Soya", origin=Origin.UNKNOWN)
    for days in (9, 7, 5):  # three non-dairy batches in a row, and hungry since
        make_batch(
            soy,
            base=Base.SOY,
            started_at=now - days * 24 * hours,
            strained_at=now - days * 24 * hours + 20 * hours,
        )
    child = make_culture(owner, "Little B junior", parent=little_b, origin=Origin.SPLIT)
    given = make_culture(
        owner,
        "Jar for Anna",
        parent=child,
        origin=Origin.SPLIT,
        status=Status.GIVEN_AWAY,
        given_to="Anna",
    )
    resting = make_culture(
        owner, "Fridge jar", status=Status.RESTING, rest_milk_changed_at=now - 12 * 24 * hours
    )
    dried = change_status(make_culture(owner, "Dried jar"), Status.DRIED)  # Undo, history
    retired = make_culture(owner, "Old grains", status=Status.RETIRED)
    empty = make_culture(owner, "New grains")  # no batches: can still be deleted
    batches = [done, second_ferment, finished, discarded, strained, fermenting, water_batch]
    cultures = [little_b, water, soy, child, given, resting, dried, retired, empty]
    return batches, cultures


def route_urls(name, keywords, batches, cultures):
    """``name`` for each object of the kind it takes (none: once)."""
    if not keywords:
        return [reverse(name)]
    takes_a_batch = name.startswith(("batches:", "reminders:")) and keywords == ["pk"]
    objects = batches if takes_a_batch else cultures
    return [reverse(name, kwargs=dict.fromkeys(keywords, obj.pk)) for obj in objects]


class Documents(dict):
    """Name -> HTML of every answer that is HTML from our templates."""

    def add(self, name, response):
        if response.status_code not in {200, 400, 403, 429}:
            return
        if not response.get("Content-Type", "").startswith("text/html"):
            return
        html = response.content.decode()
        if "<" not in html:
            return  # Django's bare "Bad request" text for a crafted post
        self[name] = html


def internal_links(html):
    """(is_htmx, path) of every link to this site and every ``[data-]hx-get`` in ``html``."""
    for attribute, value in LINK.findall(html):
        url = urlsplit(unescape(value))
        if url.scheme or url.netloc or not url.path.startswith("/"):
            continue
        if url.path.startswith(("/static/", "/admin/")):
            continue
        yield attribute != "href", url.path + (f"?{url.query}" if url.query else "")


def crawl(client, documents, start):
    """GET ``start`` [(is_htmx, url)] and everything they link to, once each."""
    seen, queue = set(), list(start)
    while queue:
        is_htmx, url = queue.pop()
        if (is_htmx, url) in seen:
            continue
        seen.add((is_htmx, url))
        response = client.get(url, **(HX if is_htmx else {}))
        documents.add(f"GET {url}{' (htmx)' if is_htmx else ''}", response)
        if response.status_code == 200 and "<" in response.content.decode(errors="replace"):
            queue.extend(internal_links(response.content.decode()))


def post_everywhere(client, documents, urls):
    """Every form with bad input, plainly and with htmx (a batch's also from Today's card),
    and the page a post that is not refused redirects to."""
    today = {"next": reverse("batches:today")}
    for url in urls:
        places = [("", {})] + ([(" from Today", today)] if url.startswith("/batches/") else [])
        for place, extra in places:
            for is_htmx in (False, True):
                response = client.post(url, {**BAD_INPUT, **extra}, **(HX if is_htmx else {}))
                name = f"POST {url}{place}{' (htmx)' if is_htmx else ''}"
                documents.add(name, response)
                if response.status_code == 302:
                    documents.add(f"{name}, then {response.url}", client.get(response.url))


def share_documents(client, documents, culture):
    """The share card with links (one just made, plainly and with htmx), one turned off,
    and the family tree a link opens, with and without batches, dead and asked too often."""
    make = reverse("sharing:create", args=[culture.pk])
    made = client.post(make, {"expires": "7", "label": "Anna", "include_batches": "on"})
    documents.add(f"POST {make}, then {made.url}", client.get(made.url))
    response = client.post(make, {"expires": "never", "include_batches": "on"}, **HX)
    documents.add(f"POST {make} (htmx)", response)
    path = urlsplit(
        unescape(re.search(r'id="share-link" type="url" value="([^"]+)"', response.text)[1])
    ).path
    documents.add(f"GET {made.url} with links", client.get(made.url))
    link = ShareLink.objects.filter(culture=culture).order_by("pk").first()
    revoke = reverse("sharing:revoke", args=[link.pk])
    documents.add(f"POST {revoke} (htmx)", client.post(revoke, **HX))
    friend = Client(REMOTE_ADDR="192.0.2.1")
    documents.add(f"GET {path} signed out", friend.get(path))
    plain = client.post(make, {"expires": "30"}, **HX)
    bare = urlsplit(
        unescape(re.search(r'id="share-link" type="url" value="([^"]+)"', plain.text)[1])
    ).path
    documents.add(f"GET {bare} signed out, no batches", friend.get(bare))
    dead = friend.get(reverse("sharing:shared", args=["A" * 43]))
    assert dead.status_code == 404
    documents["GET a dead share link"] = dead.content.decode()  # a page of its own
    while (answer := friend.get(path)).status_code == 200:
        pass
    documents.add(f"GET {path} too often", answer)


@pytest.mark.django_db
def test_every_page_and_fragment_is_valid_html(client, owner, settings):
    require_vnu()  # before the minute of rendering, not after
    settings.PAGE_SIZE = 2  # every list has a next page, loaded by htmx
    batches, cultures = kitchen(owner)
    documents = Documents()

    signed_out = Client()
    for name in sorted(PUBLIC - {"accounts:logout"}):
        documents.add(f"GET {reverse(name)} signed out", signed_out.get(reverse(name)))
    sign_up = reverse("accounts:sign_up")
    for label, data in {
        "short password": {"username": "anna", "password1": "kefir", "password2": "kefir"},
        "passwords differ": {"username": "anna", "password1": PASSWORD, "password2": "other"},
        "name taken": {"username": owner.username, "password1": PASSWORD, "password2": PASSWORD},
    }.items():
        documents.add(f"POST {sign_up} {label}", signed_out.post(sign_up, data))
    sign_in = reverse("accounts:login")
    for attempt in range(6):  # the sixth is refused: too many
        wrong = {"username": owner.username, "password": f"wrong {attempt}"}
        documents.add(f"POST {sign_in} wrong password {attempt}", signed_out.post(sign_in, wrong))

    client.force_login(owner)
    private = PRIVATE_ROUTES
    urls = [url for name, kw in private for url in route_urls(name, kw, batches, cultures)]
    crawl(client, documents, [(is_htmx, url) for url in urls for is_htmx in (False, True)])
    export = SimpleUploadedFile("kefir.json", b'{"format": "not ours"}')
    your_data = reverse("archive:your_data")
    documents.add(f"POST {your_data} a file not ours", client.post(your_data, {"file": export}))
    bad = SimpleUploadedFile(
        "kefir.json", b'{"format": "kefir-tracker", "version": 1, "cultures": [{"kind": "lava"}]}'
    )
    documents.add(f"POST {your_data} a bad record", client.post(your_data, {"file": bad}))
    forms = [
        url
        for name, kw in private
        if name not in NOT_FORMS
        for url in route_urls(name, kw, batches, cultures)
    ]
    post_everywhere(client, documents, forms)
    share_documents(client, documents, cultures[0])
    account = reverse("accounts:account")
    client.post(reverse("reminders:new_link"))
    client.get(account)  # where the new link is shown, once
    documents.add(f"GET {account} with a calendar link made before", client.get(account))

    # What the documents must cover, so that "no error" means something.
    everything = "\n".join(documents.values())
    for shown in (
        "in second ferment",
        "discarded",
        "Pink mould",
        "resting in the fridge",
        "dried",
        "retired",
        "given away",
        "Little B junior",  # lineage
        "errorlist",  # forms with errors
        "Too many failed sign-ins",
        "Nothing was imported",
        "Older batches",
        'class="messages"',
        'id="calendar-link"',  # a calendar link just made, shown once
        "You made a calendar link on",
        "Give the end too, or leave both empty.",  # quiet hours refused
        'id="share-link"',  # a share link just made, shown once
        "Turn off",  # the share links that work now
        'class="shared-batch"',  # a shared family tree with its batches
        "This link opens nothing",
        "Too many pages at once",
    ):
        assert shown in everything, f"no document shows {shown!r}"
    fragments = [name for name in documents if "(htmx)" in name]
    assert len(fragments) > 50, fragments
    assert any("?form=" in name for name in fragments)
    assert any("cursor=" in name for name in fragments)
    assert any("?start=" in name for name in fragments)

    errors = html_errors(documents)
    assert not errors, f"{len(errors)} errors in {len(documents)} documents:\n" + "\n".join(errors)


def test_the_checker_finds_errors():
    """The checker, run as the test above runs it, does report invalid HTML."""
    errors = html_errors(
        {
            "page": '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
            '</head><body><p class="help"><ul><li>x</li></ul></p>'
            '<time datetime="2026-01-01T10:00:00.123456+00:00">x</time></body></html>',
            "fragment": '<a hx-get="/x">x</a>',
        }
    )
    assert any(e.startswith("page") and "datetime" in e for e in errors), errors
    assert any(e.startswith("fragment") and "hx-get" in e for e in errors), errors
    assert len(errors) >= 3

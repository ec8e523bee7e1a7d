"""Over HTTP: the service worker and the offline page, a form kept on the phone and
sent later (its one-time key and the time it was pressed), and an htmx request
whose session has ended."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch
from kefir_tracker.offline import shell_files
from tests.batches.conftest import HTMX
from tests.factories import make_batch

TODAY = {"next": "/"}


def worker(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    return response, response.content.decode()


def test_the_worker_is_served_from_the_root_as_javascript_asked_for_every_time(client, db):
    response, text = worker(client)
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe" not in policy
    assert "Set-Cookie" not in response  # nobody's: the same for everyone
    for name in ("css/app.css", "js/outbox.js", "icons/icon-192.png", "django_htmx/htmx-2.min.js"):
        assert f'"{static(name)}"' in text, name
    assert f'"{reverse("offline")}"' in text


def test_the_worker_lists_the_hashed_files_of_the_release(client, db, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    _, text = worker(client)
    listed = re.search(r"const SHELL_FILES = (\[.*\]);", text).group(1)
    for name in shell_files():
        url = static(name)
        assert re.search(r"\.[0-9a-f]{12}\.", url), url  # the manifest's hashed name
        assert f'"{url}"' in listed
    assert f'importScripts("{static("js/outbox-store.js")}")' in text

    # Another release (a changed stylesheet): another worker, with caches of its own.
    before = re.search(r'const SHELL = "(kefir-shell-[0-9a-f]+)"', text).group(1)
    manifest = tmp_path / "staticfiles.json"
    release = json.loads(manifest.read_text())
    release["paths"]["css/app.css"] = "css/app.0123456789ab.css"
    manifest.write_text(json.dumps(release))
    storage = staticfiles_storage._wrapped
    storage.hashed_files = storage.load_manifest()[0]
    _, after_text = worker(client)
    after = re.search(r'const SHELL = "(kefir-shell-[0-9a-f]+)"', after_text).group(1)
    assert after != before


def test_the_offline_page_is_nobodys(owner_client, owner):
    response = owner_client.get(reverse("offline"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Offline</h1>" in page
    assert owner.username not in page
    assert "data-user" not in page
    # Not a signed-out page either: showing it must not forget the person's kept pages.
    assert "data-signed-out" not in page


def test_signed_in_pages_carry_the_hidden_offline_banner_with_the_time_they_were_made(
    owner_client, owner
):
    owner.clock_hours = "12"
    owner.save()
    page = owner_client.get("/").content.decode()
    banner = re.search(r'<p class="offline-banner" id="offline-banner" hidden>(.*?)</p>', page)
    assert banner, "no banner"
    assert re.fullmatch(
        r'Offline — showing what you saw at <time datetime="[^"]+">\d{1,2}:\d\d\xa0[AP]M</time>',
        banner.group(1),
    )


# ---- a session that ended, with htmx ----


def test_an_htmx_request_without_a_session_is_sent_to_sign_in_and_back(client, culture):
    batch = make_batch(culture)
    response = client.post(
        reverse("batches:strain", args=[batch.pk]),
        TODAY,
        HTTP_HX_CURRENT_URL="http://testserver/history/?q=ginger",
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/account/sign-in/?next=%2Fhistory%2F%3Fq%3Dginger"
    assert response.content == b""  # never the sign-in page inside a card
    batch.refresh_from_db()
    assert batch.strained_at is None


@pytest.mark.parametrize(
    "current", ["https://evil.example/phish", "", "javascript:alert(1)", "//evil.example/"]
)
def test_the_way_back_after_sign_in_stays_on_this_site(client, culture, current):
    response = client.get("/", HTTP_HX_CURRENT_URL=current, **HTMX)
    assert response["HX-Redirect"] == "/account/sign-in/?next=%2F"


def test_a_plain_request_without_a_session_is_still_redirected(client, db):
    response = client.get("/history/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/history/"
    assert "HX-Redirect" not in response


# ---- one-time keys on every batch action ----


@pytest.mark.parametrize(
    ("action", "state", "fields", "said"),
    [
        ("strain", {}, {}, "the strain of batch 1 of Babushka"),
        ("bottle", {"strained": True}, {}, "the bottling of batch 1 of Babushka"),
        (
            "finish",
            {"strained": True, "bottled": True},
            {},
            "the end of the second ferment of batch 1 of Babushka",
        ),
        ("discard", {}, {"reason": "mould"}, "the discarding of batch 1 of Babushka"),
    ],
)
def test_a_batch_action_sent_twice_is_saved_once_and_says_so(
    owner_client, culture, action, state, fields, said
):
    now = timezone.now()
    batch = make_batch(
        culture,
        started_at=now - timedelta(hours=30),
        strained_at=now - timedelta(hours=5) if state.get("strained") else None,
        bottled_at=now - timedelta(hours=4) if state.get("bottled") else None,
    )
    folded = "" if action in ("strain", "finish") else f"?form={action}"  # else always shown
    page = owner_client.get(f"{batch.get_absolute_url()}{folded}").content.decode()
    key = re.search(
        rf'<form id="{action}-form".*?name="once" value="([0-9a-f-]{{36}})"', page, re.S
    ).group(1)
    url = reverse(f"batches:{action}", args=[batch.pk])
    first = owner_client.post(url, {**fields, "once": key}, **HTMX)
    again = owner_client.post(url, {**fields, "once": key}, **HTMX)
    assert first.status_code == again.status_code == 200
    assert f"Sent twice, saved once: {said}." in again["HX-Trigger-After-Settle"]
    assert "errorlist" not in again.content.decode()


def test_todays_strain_button_carries_a_one_time_key(owner_client, culture):
    batch = make_batch(culture)
    page = owner_client.get("/").content.decode()
    form = re.search(r'<form class="strain-form".*?</form>', page, re.S).group(0)
    key = re.search(r'name="once" value="([0-9a-f-]{36})"', form).group(1)
    url = reverse("batches:strain", args=[batch.pk])
    owner_client.post(url, {**TODAY, "once": key}, **HTMX)
    again = owner_client.post(url, {**TODAY, "once": key}, **HTMX)
    assert "Sent twice, saved once" in again["HX-Trigger-After-Settle"]


# ---- the time the button was pressed ----


def pressed(delta):
    return (timezone.now() + delta).isoformat()


def strain(client, batch, **fields):
    return client.post(reverse("batches:strain", args=[batch.pk]), {**TODAY, **fields}, **HTMX)


def test_a_strain_sent_late_is_stored_at_the_time_it_was_pressed(owner_client, culture):
    batch = make_batch(culture, started_at=timezone.now() - timedelta(hours=20))
    when = timezone.now() - timedelta(hours=2, minutes=3)
    strain(owner_client, batch, pressed_at=when.isoformat())
    batch.refresh_from_db()
    assert batch.strained_at == when


def test_a_time_typed_in_the_form_wins_over_the_time_pressed(owner_client, culture):
    batch = make_batch(culture, started_at=timezone.now() - timedelta(hours=20))
    typed = timezone.localtime(timezone.now() - timedelta(hours=3)).replace(second=0, microsecond=0)
    strain(
        owner_client,
        batch,
        strained_at=typed.strftime("%Y-%m-%dT%H:%M"),
        pressed_at=pressed(-timedelta(hours=1)),
    )
    batch.refresh_from_db()
    assert batch.strained_at == typed


@pytest.mark.parametrize(
    "value",
    [pressed(timedelta(minutes=30)), "yesterday", "2026-03-01T07:30", "9999-99-99T99:99+00:00"],
    ids=["ahead of the server's clock", "not a time", "no offset", "no such day"],
)
def test_a_time_pressed_that_cannot_be_right_is_the_time_it_arrived(owner_client, culture, value):
    batch = make_batch(culture, started_at=timezone.now() - timedelta(hours=20))
    before = timezone.now()
    response = strain(owner_client, batch, pressed_at=value)
    assert response.status_code == 200
    batch.refresh_from_db()
    assert before <= batch.strained_at <= timezone.now()


def test_a_form_pressed_too_long_ago_asks_for_its_time(owner_client, culture):
    batch = make_batch(culture, started_at=timezone.now() - timedelta(days=40))
    response = strain(owner_client, batch, pressed_at=pressed(-timedelta(days=31)))
    assert "pressed more than 30 days ago" in response.content.decode()
    batch.refresh_from_db()
    assert batch.strained_at is None


def test_a_start_and_a_discard_sent_late_keep_the_time_pressed(owner_client, culture):
    when = timezone.now() - timedelta(minutes=42)
    owner_client.post(
        reverse("batches:start", args=[culture.pk]),
        {"base": "cow", "volume_ml": "500", "grains_in_g": "25", "pressed_at": when.isoformat()},
        **HTMX,
    )
    batch = Batch.objects.get(culture=culture)
    assert batch.started_at == when
    later = when + timedelta(minutes=10)
    owner_client.post(
        reverse("batches:discard", args=[batch.pk]),
        {"reason": "mould", "pressed_at": later.isoformat()},
        **HTMX,
    )
    batch.refresh_from_db()
    assert batch.discarded
    assert batch.discarded_at == later

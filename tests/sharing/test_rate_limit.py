"""Shared pages are counted per address: past the limit in a window of time, a plain
429 instead, for links good and bad alike; another address, or the next window, is
let through again."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from kefir_tracker.sharing import throttling
from kefir_tracker.sharing.models import VisitWindow
from tests.factories import make_culture
from tests.sharing.helpers import make_share_link, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(owner, owner_client):
    return make_share_link(owner_client, make_culture(owner, "Babushka"))


def test_too_many_visits_from_one_address_get_a_429_until_the_window_ends(link):
    phone = Client(REMOTE_ADDR="203.0.113.5")
    answers = [phone.get(link).status_code for _ in range(throttling.VISITS)]
    refused = phone.get(link)

    assert answers == [200] * throttling.VISITS
    assert refused.status_code == 429
    assert "Too many pages at once" in refused.text
    assert "Wait a few minutes, then open the link again." in text(refused.text)
    assert "Babushka" not in refused.text
    assert 0 < int(refused["Retry-After"]) <= throttling.WINDOW.total_seconds()
    assert refused["X-Robots-Tag"] == "noindex, nofollow"
    assert Client(REMOTE_ADDR="203.0.113.6").get(link).status_code == 200

    later = timezone.now() + throttling.WINDOW
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert phone.get(link).status_code == 200


def test_guesses_count_too(link):
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(throttling.VISITS):
        assert guesser.get(f"/shared/{n:043d}/").status_code == 404

    assert guesser.get(link).status_code == 429


def test_behind_a_proxy_each_phone_is_counted_apart(link, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxy = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_PROTO": "https"}
    first = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.20")
    for _ in range(throttling.VISITS):
        first.get(link, secure=True)

    assert first.get(link, secure=True).status_code == 429
    second = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.21")
    assert second.get(link, secure=True).status_code == 200


def test_windows_that_are_over_are_not_kept(link):
    Client(REMOTE_ADDR="203.0.113.30").get(link)
    later = timezone.now() + timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        Client(REMOTE_ADDR="203.0.113.31").get(link)

    assert list(VisitWindow.objects.values_list("address", flat=True)) == ["203.0.113.31"]

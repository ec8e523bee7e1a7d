"""One batch's "Add to calendar": a file with its predicted ready time (or its second
ferment) and an alarm then, for the batch's owner only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches import services
from kefir_tracker.forecast.model import model_for
from kefir_tracker.grains.models import Kind
from tests.factories import make_batch, make_culture
from tests.reminders.helpers import events, utc


def calendar_url(batch):
    return reverse("reminders:batch_calendar", args=[batch.pk])


@pytest.fixture
def fermenting(culture):
    return make_batch(culture, started_at=timezone.now() - timedelta(hours=5))


def test_the_owner_gets_a_file_with_the_predicted_ready_time_and_an_alarm_then(
    owner_client, owner, fermenting
):
    response = owner_client.get(calendar_url(fermenting))
    predicted = services.estimate(fermenting, model_for(owner)).ready_at

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kefir-babushka-1.ics"'
    assert {d.strip() for d in response["Cache-Control"].split(",")} == {"private", "no-store"}
    [event] = events(response).values()
    assert event["SUMMARY"] == "Babushka #1 should be ready"
    assert utc(event["DTSTART"]) == predicted.replace(microsecond=0)
    assert event["URL"] == f"http://testserver/batches/{fermenting.pk}/"
    [alarm] = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(0)


def test_its_uid_is_not_the_feeds_but_stays_the_same_for_a_second_download(
    owner_client, fermenting
):
    [first] = events(owner_client.get(calendar_url(fermenting)))
    [second] = events(owner_client.get(calendar_url(fermenting)))

    assert first == second
    assert first.startswith(f"batch-{fermenting.pk}-ready-added@")


def test_the_file_is_there_even_with_ready_reminders_turned_off(owner_client, owner, fermenting):
    owner.remind_ready = False
    owner.save()
    assert len(events(owner_client.get(calendar_url(fermenting)))) == 1


def test_a_bottled_water_kefir_gives_its_second_ferment_and_burps(owner_client, owner):
    now = timezone.now()
    tibicos = make_culture(owner, "Tibicos", kind=Kind.WATER)
    batch = make_batch(
        tibicos,
        started_at=now - timedelta(hours=40),
        strained_at=now - timedelta(hours=2),
        bottled_at=now - timedelta(hours=1),
    )
    found = events(owner_client.get(calendar_url(batch)))
    summaries = sorted(str(event["SUMMARY"]) for event in found.values())

    assert summaries == ["Burp the bottles of Tibicos #1"] * 5 + [
        "Second ferment of Tibicos #1 ready to taste"
    ]


def test_the_batch_page_offers_it_while_the_batch_ferments(owner_client, fermenting):
    page = owner_client.get(fermenting.get_absolute_url())
    assert f'href="{calendar_url(fermenting)}">Add to calendar</a>' in page.text


def test_the_batch_page_offers_it_for_a_second_ferment_too(owner_client, culture):
    now = timezone.now()
    batch = make_batch(
        culture,
        started_at=now - timedelta(hours=30),
        strained_at=now - timedelta(hours=3),
        bottled_at=now - timedelta(hours=2),
    )
    page = owner_client.get(batch.get_absolute_url())
    assert f'href="{calendar_url(batch)}">Add to calendar</a>' in page.text


def test_a_strained_batch_has_nothing_to_add_and_says_so(owner_client, culture):
    now = timezone.now()
    batch = make_batch(
        culture, started_at=now - timedelta(hours=30), strained_at=now - timedelta(hours=3)
    )
    page = owner_client.get(batch.get_absolute_url())
    assert "Add to calendar" not in page.text

    response = owner_client.get(calendar_url(batch), follow=True)

    assert response.redirect_chain == [(batch.get_absolute_url(), 302)]
    assert "is neither fermenting nor in a second ferment" in response.text


def test_a_discarded_batch_has_nothing_to_add_either(owner_client, culture):
    batch = make_batch(culture, discarded=True, discarded_at=timezone.now())
    response = owner_client.get(calendar_url(batch))
    assert response.status_code == 302


def test_another_persons_batch_is_404(other_client, fermenting):
    assert other_client.get(calendar_url(fermenting)).status_code == 404


def test_signed_out_it_asks_to_sign_in(client, fermenting):
    response = client.get(calendar_url(fermenting))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "path",
    [
        f"/batches/{10**20}/calendar.ics",
        f"/batches/{'9' * 40}/calendar.ics",
        "/batches/0/calendar.ics",
        "/batches/١٢/calendar.ics",
        "/batches/1٢/calendar.ics",
        "/batches/-1/calendar.ics",
    ],
)
def test_an_id_nobody_has_or_in_other_digits_is_404(owner_client, fermenting, path):
    assert owner_client.get(path).status_code == 404

"""Two reminder runners at once (cron on two app servers, or cron beside run.py's loop)
send each reminder once: both find the same reminders due, both try to send them."""

import threading

import pytest
from django.db import connection

from kefir_tracker.push import sending
from tests.factories import make_culture
from tests.push.conftest import ready_batch, subscribe

RUNNERS = 2


@pytest.mark.django_db(transaction=True)
def test_two_runners_at_once_send_each_reminder_exactly_once(
    owner_client, owner, push_service, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "threads share SQLite's in-memory test database through a shared cache, which "
            "refuses a second writer ('database table is locked') where a SQLite file waits; "
            "run on PostgreSQL (DATABASE_URL=postgres://…)"
        )
    batches = [ready_batch(make_culture(owner, f"Jar {n}")) for n in range(3)]
    phone = subscribe(owner_client, push_service)
    push_service.delay_s = 0.2  # a push service's answer takes a while: the sends overlap

    # Both runners have worked out what is due before either records anything as sent.
    everyone_knows = threading.Barrier(RUNNERS, timeout=30)
    found = sending.due_now

    def due_now_then_wait(user, now):
        reminders = found(user, now)
        everyone_knows.wait()
        return reminders

    monkeypatch.setattr(sending, "due_now", due_now_then_wait)
    counts, errors = [], []

    def runner():
        try:
            counts.append(sending.send_due())
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner) for _ in range(RUNNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    urls = sorted(phone.read(push)["url"] for push in push_service.received_at(phone.endpoint))
    assert urls == sorted(batch.get_absolute_url() for batch in batches)

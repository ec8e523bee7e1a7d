"""Two people accept the same gift at the same moment: one gets the grains, the other is
told the gift opens nothing. Threads against real transactions (PostgreSQL's row locks;
SQLite runs one write at a time anyway, so the race is PostgreSQL's to lose)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from kefir_tracker.gifts.models import Gift
from kefir_tracker.grains.models import Culture, Origin
from tests.gifts.helpers import accept, give_as_gift, giver_user, recipient_user
from tests.sharing.helpers import family

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL")
def test_two_accepts_at_once_only_one_wins():
    giver = giver_user()
    kin = family(giver)
    giver_client = Client()
    giver_client.force_login(giver)
    path, *_ = give_as_gift(giver_client, kin.third)
    people = [recipient_user("masha"), recipient_user("sasha")]
    ready = threading.Barrier(len(people))
    answers = {}

    def accept_at_once(person):
        client = Client()
        client.force_login(person)
        ready.wait(timeout=10)
        try:
            answers[person.username] = accept(client, path, name="Little B", follow=False)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept_at_once, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    codes = sorted(response.status_code for response in answers.values())
    assert codes == [302, 404]
    winners = [p for p in people if Culture.objects.for_user(p).filter(origin=Origin.GIFT)]
    assert len(winners) == 1
    gift = Gift.objects.get()
    assert gift.recipient == winners[0]
    assert gift.received_culture.owner == winners[0]

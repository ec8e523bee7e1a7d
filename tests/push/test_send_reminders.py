"""`manage.py send_reminders`, as cron or run.py runs it, against a push service on this
machine: what a person's phone receives (decrypted as the phone decrypts it), once."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.push.models import PushSubscription
from tests.factories import make_culture
from tests.push.conftest import ready_batch, subscribe


def send_reminders():
    call_command("send_reminders", verbosity=0)


def test_a_ready_batch_reaches_the_phone_as_a_notification_once(owner_client, owner, push_service):
    batch = ready_batch(make_culture(owner, "Babushka"))
    phone = subscribe(owner_client, push_service)

    send_reminders()

    [push] = push_service.received_at(phone.endpoint)
    assert push.status == 201
    notification = phone.read(push)
    assert notification["title"] == f"Babushka #{batch.number} should be ready"
    assert notification["body"].startswith("Cow milk kefir: taste it")
    assert notification["url"] == batch.get_absolute_url()
    assert notification["tag"]
    # Signed for this push service with the key the account page gives browsers.
    page = owner_client.get(reverse("accounts:account"))
    assert f'data-push-key="{push.vapid_key}"' in page.text
    assert push.claims["aud"] == push_service.origin
    assert push.claims["sub"] == settings.PUSH_CONTACT
    assert push.headers["ttl"] == str(3 * 60 * 60)
    assert push.headers["urgency"] == "high"

    send_reminders()
    assert len(push_service.received_at(phone.endpoint)) == 1


def test_every_phone_of_the_person_gets_it_and_nobody_else(
    owner_client, owner, other_user, push_service, client
):
    ready_batch(make_culture(owner, "Babushka"))
    ready_batch(make_culture(other_user, "Mallory's"))
    phone = subscribe(owner_client, push_service, "phone")
    tablet = subscribe(owner_client, push_service, "tablet")
    client.force_login(other_user)
    theirs = subscribe(client, push_service, "theirs")

    send_reminders()

    titles = {
        name: [browser.read(push)["title"] for push in push_service.received_at(browser.endpoint)]
        for name, browser in [("phone", phone), ("tablet", tablet), ("theirs", theirs)]
    }
    assert titles["phone"] == titles["tablet"]
    assert [title.split(" #")[0] for title in titles["phone"]] == ["Babushka"]
    assert [title.split(" #")[0] for title in titles["theirs"]] == ["Mallory's"]


def test_a_batch_not_ready_yet_is_not_sent(owner_client, owner, push_service):
    ready_batch(make_culture(owner), ago=-timedelta(minutes=30))
    phone = subscribe(owner_client, push_service)
    send_reminders()
    assert push_service.received_at(phone.endpoint) == []


def test_a_reminder_hours_old_is_stale_and_not_sent(owner_client, owner, push_service):
    ready_batch(make_culture(owner), ago=timedelta(hours=4))  # the server was off
    phone = subscribe(owner_client, push_service)
    send_reminders()
    assert push_service.received_at(phone.endpoint) == []


def test_quiet_hours_hold_it_back(owner_client, owner, push_service):
    ready_batch(make_culture(owner))
    phone = subscribe(owner_client, push_service)
    local = timezone.now().astimezone(ZoneInfo(owner.time_zone))
    owner.quiet_from = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    owner.quiet_until = (local + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    owner.save()

    send_reminders()
    assert push_service.received_at(phone.endpoint) == []

    owner.quiet_from = owner.quiet_until = None
    owner.save()
    send_reminders()
    assert len(push_service.received_at(phone.endpoint)) == 1


def test_one_due_just_before_the_quiet_hours_began_waits_for_their_end(
    owner_client, owner, push_service
):
    ready_batch(make_culture(owner), ago=timedelta(hours=1))  # the server was off a moment
    phone = subscribe(owner_client, push_service)
    local = timezone.now().astimezone(ZoneInfo(owner.time_zone))
    owner.quiet_from = (local - timedelta(minutes=30)).time().replace(second=0, microsecond=0)
    owner.quiet_until = (local + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    owner.save()

    send_reminders()
    assert push_service.received_at(phone.endpoint) == []


def test_a_reminder_the_person_turned_off_is_not_sent(owner_client, owner, push_service):
    ready_batch(make_culture(owner))
    phone = subscribe(owner_client, push_service)
    owner_client.post(reverse("accounts:reminders"), {"remind_grains": "on"})  # ready off
    send_reminders()
    assert push_service.received_at(phone.endpoint) == []


def test_a_phone_its_push_service_forgot_is_removed_and_not_tried_again(
    owner_client, owner, push_service
):
    ready_batch(make_culture(owner, "Babushka"))
    gone = subscribe(owner_client, push_service, "gone")
    unknown = subscribe(owner_client, push_service, "unknown")
    kept = subscribe(owner_client, push_service, "kept")
    push_service.answer(gone.endpoint, 410)
    push_service.answer(unknown.endpoint, 404)

    send_reminders()

    assert [p.status for p in push_service.received_at(gone.endpoint)] == [410]
    assert [p.status for p in push_service.received_at(unknown.endpoint)] == [404]
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [kept.endpoint]
    page = owner_client.get(reverse("accounts:account"))
    assert page.text.count("Remove<span") == 1

    ready_batch(make_culture(owner, "Second jar"))
    send_reminders()
    assert len(push_service.received_at(gone.endpoint)) == 1
    assert len(push_service.received_at(unknown.endpoint)) == 1
    assert len(push_service.received_at(kept.endpoint)) == 2


def test_a_push_service_failing_keeps_the_phone_and_tries_again_next_run(
    owner_client, owner, push_service
):
    batch = ready_batch(make_culture(owner, "Babushka"))
    phone = subscribe(owner_client, push_service)
    push_service.answer(phone.endpoint, 500)

    send_reminders()
    assert [p.status for p in push_service.received_at(phone.endpoint)] == [500]
    assert PushSubscription.objects.filter(endpoint=phone.endpoint).exists()

    push_service.answer(phone.endpoint, 201)
    send_reminders()
    send_reminders()
    pushes = push_service.received_at(phone.endpoint)
    assert [p.status for p in pushes] == [500, 201]
    assert phone.read(pushes[1])["url"] == batch.get_absolute_url()


def test_a_push_service_that_cannot_be_reached_is_tried_again(owner_client, owner, push_service):
    ready_batch(make_culture(owner))
    phone = subscribe(owner_client, push_service)
    PushSubscription.objects.update(endpoint="http://127.0.0.1:9/nobody-listens")
    send_reminders()  # a connection refused: logged, no error
    assert PushSubscription.objects.count() == 1
    PushSubscription.objects.update(endpoint=phone.endpoint)
    send_reminders()
    assert len(push_service.received_at(phone.endpoint)) == 1


def test_one_phone_taking_it_counts_as_sent(owner_client, owner, push_service):
    ready_batch(make_culture(owner))
    took = subscribe(owner_client, push_service, "took")
    failed = subscribe(owner_client, push_service, "failed")
    push_service.answer(failed.endpoint, 500)
    send_reminders()
    push_service.answer(failed.endpoint, 201)
    send_reminders()
    assert len(push_service.received_at(took.endpoint)) == 1
    assert [p.status for p in push_service.received_at(failed.endpoint)] == [500]


def test_the_vapid_key_is_made_once_and_readable_by_its_owner_only(
    owner_client, owner, push_service, data_dir
):
    ready_batch(make_culture(owner, "Babushka"))
    phone = subscribe(owner_client, push_service)
    key_file = data_dir / "vapid_private_key.pem"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    made = key_file.read_bytes()

    send_reminders()
    ready_batch(make_culture(owner, "Second jar"))
    send_reminders()

    assert key_file.read_bytes() == made
    keys = {push.vapid_key for push in push_service.received_at(phone.endpoint)}
    assert len(keys) == 1
    page = owner_client.get(reverse("accounts:account"))
    assert f'data-push-key="{keys.pop()}"' in page.text

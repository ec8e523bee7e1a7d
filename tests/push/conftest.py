import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.reminders import due
from tests.factories import make_batch
from tests.push_service import BrowserKeys, PushService

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """The VAPID key is made in a DATA_DIR of the test's own."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def push_service():
    with PushService() as service:
        yield service


def subscribe(client, service, name="phone", user_agent=ANDROID_CHROME) -> BrowserKeys:
    """Turn notifications on in a browser signed in on ``client``: its subscription posted
    as static/js/push.js posts it."""
    browser = BrowserKeys(service.endpoint(name))
    response = client.post(
        reverse("push:subscribe"),
        json.dumps(browser.to_json()),
        content_type="application/json",
        HTTP_USER_AGENT=user_agent,
    )
    assert response.status_code == 200, response.text
    return browser


def ready_batch(culture, ago=timedelta(minutes=10)):
    """A fermenting batch whose predicted ready time was ``ago``: started as long before
    that as the ready-time model expects this batch to take."""
    batch = make_batch(culture, started_at=timezone.now() - timedelta(hours=12))
    reminder = next(r for r in due.for_batch(culture.owner, batch) if r.topic == due.READY)
    batch.started_at -= reminder.due_at - (timezone.now() - ago)
    batch.save()
    return batch

"""Notifications on a phone, in Chromium: turning them on from the account page, what the
service worker shows when a push arrives, and what the card says where push cannot work.

Chromium here cannot reach Google's push service (nothing leaves this machine), so the
page's ``pushManager.subscribe()`` is replaced by one that hands out a subscription at
the stand-in push service (tests/push_service.py), with keys made by the test. The
server sends to that service as to a real one; the test decrypts what it received and
delivers it to the service worker as the push service would (DevTools'
ServiceWorker.deliverPushMessage), and reads the notification the worker shows.
"""

import json
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from kefir_tracker.push.models import PushSubscription
from tests.browser import sign_in_through_the_form, wait_for_worker
from tests.checkers import axe_violations
from tests.factories import make_culture
from tests.push.conftest import ready_batch, subscribe
from tests.push_service import BrowserKeys

pytestmark = pytest.mark.browser

# Stands in for the browser's PushManager (see above); records what subscribe() was given.
# The subscription outlives a reload of the page, as a browser's does.
FAKE_PUSH_MANAGER = """
(subscription) => {
  let current = null;
  const fake = {
    endpoint: subscription.endpoint,
    expirationTime: null,
    toJSON: () => subscription,
    unsubscribe: () => {
      current = null;
      sessionStorage.removeItem("subscribed");
      return Promise.resolve(true);
    },
  };
  if (sessionStorage.getItem("subscribed")) current = fake;
  PushManager.prototype.subscribe = function (options) {
    window.subscribedWith = {
      userVisibleOnly: options.userVisibleOnly,
      key: btoa(String.fromCharCode(...new Uint8Array(options.applicationServerKey)))
        .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, ""),
    };
    current = fake;
    sessionStorage.setItem("subscribed", "yes");
    return Promise.resolve(fake);
  };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
}
"""


def fake_push_manager(page, browser: BrowserKeys):
    page.add_init_script(f"({FAKE_PUSH_MANAGER})({json.dumps(browser.to_json())})")


def worker_registration_id(page, live_server) -> str:
    cdp = page.context.new_cdp_session(page)
    found = {}
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: found.update(
            {r["scopeURL"]: r["registrationId"] for r in event["registrations"]}
        ),
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while f"{live_server.url}/" not in found and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    return cdp, found[f"{live_server.url}/"]


def notifications(page, count):
    """The notifications the worker shows, once there are ``count``."""
    shown = []
    deadline = time.monotonic() + 10
    while len(shown) < count and time.monotonic() < deadline:
        page.wait_for_timeout(50)
        shown = page.evaluate(
            """navigator.serviceWorker.ready
              .then((registration) => registration.getNotifications())
              .then((all) => all.map((n) => ({title: n.title, body: n.body, tag: n.tag,
                                             url: n.data && n.data.url, icon: n.icon})))"""
        )
    return shown


def test_turned_on_the_phone_shows_the_test_and_a_ready_batch(
    signed_in_page, live_server, owner, push_service
):
    page = signed_in_page
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    browser = BrowserKeys(push_service.endpoint("chromium"))
    fake_push_manager(page, browser)
    tablet = Client()
    tablet.force_login(owner)
    subscribe(tablet, push_service, "tablet")  # the person's other phone
    page.goto(f"{live_server.url}/account/")
    wait_for_worker(page)
    card = page.locator("#push")
    expect(card.locator("#push-status")).to_have_text("Notifications are off on this phone.")
    expect(card.locator("li", has_text="Chrome on Android")).to_be_visible()
    expect(card.get_by_text("this phone", exact=True)).to_be_hidden()

    card.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("status")).to_have_text("Notifications are on for this phone.")
    expect(card.locator("#push-status")).to_have_text("Notifications are on for this phone.")
    this_phone = card.locator("li", has_text="Chrome on Linux")
    expect(this_phone.get_by_text("this phone", exact=True)).to_be_visible()
    expect(
        card.locator("li", has_text="Chrome on Android").get_by_text("this phone")
    ).to_be_hidden()
    expect(card.get_by_role("button", name="Turn on")).to_be_hidden()
    stored = PushSubscription.objects.get(endpoint=browser.endpoint)
    assert (stored.owner, stored.endpoint, stored.label) == (
        owner,
        browser.endpoint,
        "Chrome on Linux",
    )
    key = card.get_attribute("data-push-key")
    assert page.evaluate("window.subscribedWith") == {"userVisibleOnly": True, "key": key}

    card.get_by_role("button", name="Send a test notification").click()
    expect(page.get_by_role("status")).to_have_text("Sent a test notification to 2 phones.")
    batch = ready_batch(make_culture(owner, "Babushka"), ago=timedelta(minutes=5))
    call_command("send_reminders", verbosity=0)

    pushes = push_service.received_at(browser.endpoint)
    assert [push.status for push in pushes] == [201, 201]
    assert {push.vapid_key for push in pushes} == {key}
    cdp, registration = worker_registration_id(page, live_server)
    for push in pushes:  # as the push service hands them to the phone
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": live_server.url,
                "registrationId": registration,
                "data": json.dumps(browser.read(push)),
            },
        )
    shown = {n["title"]: n for n in notifications(page, 2)}

    test, ready = shown["Kefir Tracker test"], shown[f"Babushka #{batch.number} should be ready"]
    assert test["body"].startswith("Notifications reach this phone")
    assert test["url"] == f"{live_server.url}/account/"
    assert ready["body"].startswith("Cow milk kefir: taste it")
    assert ready["url"] == f"{live_server.url}{batch.get_absolute_url()}"
    assert ready["icon"].startswith(f"{live_server.url}/static/icons/icon-192")

    card.get_by_role("button", name="Turn off").click()

    expect(page.get_by_role("status")).to_have_text("Notifications are off on this phone.")
    expect(card.get_by_role("button", name="Turn on")).to_be_visible()
    expect(card.locator("li", has_text="Chrome on Linux")).to_have_count(0)
    assert list(PushSubscription.objects.values_list("label", flat=True)) == ["Chrome on Android"]


def test_signing_out_on_this_phone_stops_its_notifications(
    signed_in_page, live_server, owner, push_service
):
    page = signed_in_page
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    browser = BrowserKeys(push_service.endpoint("chromium"))
    fake_push_manager(page, browser)
    tablet = Client()
    tablet.force_login(owner)
    other_phone = subscribe(tablet, push_service, "tablet")
    page.goto(f"{live_server.url}/account/")
    wait_for_worker(page)
    page.locator("#push").get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("status")).to_have_text("Notifications are on for this phone.")
    page.reload()  # the phone comes back to the page later, notifications still on
    expect(page.locator("#push-status")).to_have_text("Notifications are on for this phone.")

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("status")).to_contain_text(
        "This phone gets no more of your notifications."
    )
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        other_phone.endpoint
    ]


def test_notifications_blocked_in_the_browser_are_explained(
    signed_in_page, live_server, push_service
):
    page = signed_in_page
    cdp = page.context.new_cdp_session(page)
    context_id = cdp.send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
    cdp.send(
        "Browser.setPermission",
        {
            "permission": {"name": "notifications"},
            "setting": "denied",
            "origin": live_server.url,
            "browserContextId": context_id,
        },
    )
    page.goto(f"{live_server.url}/account/")
    card = page.locator("#push")
    expect(card.locator("#push-status")).to_have_text(
        "Notifications are blocked for this site in the browser’s settings. Allow them there, "
        "then come back here."
    )
    expect(card.get_by_role("button", name="Turn on")).to_be_hidden()


def test_over_plain_http_at_a_network_address_the_card_says_push_needs_https(
    browser_type, browser_type_launch_args, browser_context_args, live_server, owner
):
    """The phone opens the app at http://kitchen.lan:…/ (here mapped to this machine):
    not a secure context, so no service worker and no push."""
    port = live_server.url.rsplit(":", 1)[1]
    args = [*browser_type_launch_args["args"], "--host-resolver-rules=MAP kitchen.lan 127.0.0.1"]
    chromium = browser_type.launch(**{**browser_type_launch_args, "args": args})
    try:
        page = chromium.new_context(**browser_context_args).new_page()

        class Address:
            url = f"http://kitchen.lan:{port}"

        sign_in_through_the_form(page, Address, owner)
        page.goto(f"{Address.url}/account/")
        assert page.evaluate("window.isSecureContext") is False
        card = page.locator("#push")
        expect(card.locator("#push-status")).to_have_text(
            "Notifications need the app opened over HTTPS, and this page came over plain HTTP. "
            "Whoever runs Kefir Tracker can set up HTTPS for the home network."
        )
        expect(card.get_by_role("button", name="Turn on")).to_be_hidden()
    finally:
        chromium.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_card(signed_in_page, live_server, push_service, scheme):
    page = signed_in_page
    page.emulate_media(color_scheme=scheme)
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    fake_push_manager(page, BrowserKeys(push_service.endpoint("chromium")))
    page.goto(f"{live_server.url}/account/")
    wait_for_worker(page)
    found = {"off": axe_violations(page)}
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("this phone", exact=True)).to_be_visible()
    found["on, a phone listed"] = axe_violations(page)
    page.get_by_role("button", name="Send a test notification").click()
    expect(page.get_by_role("status")).to_have_text("Sent a test notification to 1 phone.")
    found["test sent"] = axe_violations(page)
    assert {name: problems for name, problems in found.items() if problems} == {}

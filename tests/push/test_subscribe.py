"""Turning notifications on and off (the JSON static/js/push.js posts), removing a listed
phone and sending a test, through the HTTP client."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from kefir_tracker.push.models import PushSubscription
from tests.push.conftest import subscribe
from tests.push_service import BrowserKeys

HX = {"HTTP_HX_REQUEST": "true"}
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def post_json(client, name, body, **extra):
    text = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(reverse(name), text, content_type="application/json", **extra)


def account_page(client):
    return client.get(reverse("accounts:account")).text


def test_turning_on_lists_this_phone_by_its_browser(owner_client, owner, push_service):
    before = account_page(owner_client)
    assert "No phone has notifications on." in before
    assert "Send a test notification" not in before

    browser = BrowserKeys(push_service.endpoint("phone"))
    response = post_json(
        owner_client, "push:subscribe", browser.to_json(), HTTP_USER_AGENT=IPHONE_SAFARI
    )

    assert response.status_code == 200
    assert '<section class="card" id="push"' in response.text  # the card, for the page
    assert "<html" not in response.text
    stored = PushSubscription.objects.get()
    assert stored.owner == owner
    assert stored.endpoint == browser.endpoint
    assert stored.auth == browser.to_json()["keys"]["auth"]
    page = account_page(owner_client)
    assert "<strong>Safari on iPhone</strong>" in page
    assert "Send a test notification" in page
    assert "No phone has notifications on." not in page


def test_turning_on_twice_keeps_one_subscription_with_the_new_keys(owner_client, push_service):
    first = subscribe(owner_client, push_service)
    again = BrowserKeys(first.endpoint)  # the browser made new keys for the same endpoint
    assert post_json(owner_client, "push:subscribe", again.to_json()).status_code == 200
    assert PushSubscription.objects.count() == 1
    assert PushSubscription.objects.get().auth == again.to_json()["keys"]["auth"]


def test_a_phone_shared_in_the_household_belongs_to_who_turned_it_on_last(
    owner_client, owner, other_user, push_service
):
    browser = subscribe(owner_client, push_service)
    someone_else = Client()
    someone_else.force_login(other_user)  # signed in on the same phone's browser later
    answer = post_json(
        someone_else, "push:subscribe", browser.to_json(), HTTP_USER_AGENT=IPHONE_SAFARI
    )
    assert answer.status_code == 200

    assert PushSubscription.objects.get().owner == other_user
    assert "No phone has notifications on." in account_page(owner_client)
    assert "Safari on iPhone" in account_page(someone_else)


def shaped(service, **changes):
    body = BrowserKeys(service.endpoint("phone")).to_json()
    for name, value in changes.items():
        if name in ("p256dh", "auth"):
            body["keys"][name] = value
        else:
            body[name] = value
    return body


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda s: "{not json", "Send the subscription as JSON."),
        (lambda s: b"\xff\xfe", "Send the subscription as JSON."),
        (lambda s: [1, 2], "Send the subscription as a JSON object."),
        (lambda s: {"keys": {}}, "The subscription has no endpoint."),
        (lambda s: shaped(s, endpoint=42), "The subscription has no endpoint."),
        (lambda s: shaped(s, endpoint="not a url"), "Enter a valid URL."),
        (lambda s: shaped(s, endpoint="ftp://push.example.org/x"), "is an https:// address"),
        (lambda s: shaped(s, keys=None), "The subscription has no p256dh key."),
        (lambda s: shaped(s, auth=""), "The subscription has no auth secret."),
        (lambda s: shaped(s, p256dh="AAAA"), "The p256dh key is not a P-256 public key"),
        (lambda s: shaped(s, p256dh="B" * 87), "The p256dh key is not a P-256 public key"),
        (lambda s: shaped(s, auth="c2hvcnQ"), "The auth secret is not 16 bytes"),
        (lambda s: shaped(s, auth="%%%%"), "The auth secret is not 16 bytes"),
        (lambda s: shaped(s, endpoint="https://x.org/" + "a" * 1000), "at most 1000"),
        (lambda s: shaped(s, padding="x" * 5000), "too long to be a push subscription"),
    ],
)
def test_a_bad_subscription_is_refused_with_a_clear_message(
    owner_client, push_service, make, message
):
    response = post_json(owner_client, "push:subscribe", make(push_service))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert message in response.text
    assert not PushSubscription.objects.exists()


def test_an_endpoint_not_over_https_is_refused_outside_the_tests(
    owner_client, push_service, settings
):
    settings.PUSH_ALLOW_PLAIN_HTTP = False
    response = post_json(owner_client, "push:subscribe", shaped(push_service))
    assert response.status_code == 400
    assert response.text == "A push service's endpoint is an https:// address."
    assert not PushSubscription.objects.exists()


def test_turning_off_removes_this_phone(owner_client, push_service):
    browser = subscribe(owner_client, push_service)
    kept = subscribe(owner_client, push_service, "tablet")
    response = post_json(owner_client, "push:unsubscribe", {"endpoint": browser.endpoint})
    assert response.status_code == 200
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [kept.endpoint]
    assert response.text.count("Remove<span") == 1


def test_another_persons_phone_cannot_be_turned_off_or_removed(
    owner_client, other_user, push_service
):
    browser = subscribe(owner_client, push_service)
    theirs = PushSubscription.objects.get()
    mallory = Client()
    mallory.force_login(other_user)

    assert post_json(mallory, "push:unsubscribe", {"endpoint": browser.endpoint}).status_code == 404
    assert mallory.post(reverse("push:remove", args=[theirs.pk])).status_code == 404
    assert mallory.post(reverse("push:remove", args=[theirs.pk]), **HX).status_code == 404
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()
    assert "Chrome on Android" not in account_page(mallory)


def test_signing_out_stops_this_phones_notifications_and_no_other(
    owner_client, owner, other_user, push_service
):
    """On a phone shared in a kitchen, the next person to sign in is not woken by the
    last one's jars. The person's other phones, and other people's, keep theirs."""
    phone = subscribe(owner_client, push_service, "phone")
    tablet = subscribe(owner_client, push_service, "tablet")
    mallory = Client()
    mallory.force_login(other_user)
    theirs = subscribe(mallory, push_service, "theirs")

    response = owner_client.post(
        reverse("accounts:logout"), {"push_endpoint": phone.endpoint}, follow=True
    )

    assert "This phone gets no more of your notifications." in response.text
    assert set(PushSubscription.objects.values_list("endpoint", flat=True)) == {
        tablet.endpoint,
        theirs.endpoint,
    }
    # Someone else's endpoint in the form is not theirs to stop.
    owner_client.force_login(owner)
    response = owner_client.post(
        reverse("accounts:logout"), {"push_endpoint": theirs.endpoint}, follow=True
    )
    assert "Signed out." in response.text
    assert "no more of your notifications" not in response.text
    assert PushSubscription.objects.filter(endpoint=theirs.endpoint).exists()


@pytest.mark.parametrize("sent", ["https://x/\x00a", "https://" + "a" * 5000, "ftp://x/y", "¹²"])
def test_signing_out_with_a_bad_endpoint_just_signs_out(owner_client, push_service, sent):
    """Not a 500 (PostgreSQL refuses NUL in a query), and no phone is forgotten."""
    subscribe(owner_client, push_service)
    response = owner_client.post(reverse("accounts:logout"), {"push_endpoint": sent}, follow=True)
    assert response.status_code == 200
    assert "Signed out." in response.text
    assert PushSubscription.objects.count() == 1


@pytest.mark.parametrize("body", ["[]", "{}", '{"endpoint": "nope"}'])
def test_turning_off_with_a_bad_body_is_a_400(owner_client, push_service, body):
    subscribe(owner_client, push_service)
    assert post_json(owner_client, "push:unsubscribe", body).status_code == 400
    assert PushSubscription.objects.count() == 1


def test_remove_without_javascript_goes_back_to_the_card_and_says_so(owner_client, push_service):
    subscribe(owner_client, push_service)
    phone = PushSubscription.objects.get()
    response = owner_client.post(reverse("push:remove", args=[phone.pk]))
    assert response.status_code == 302
    assert response.url == reverse("accounts:account") + "#push"
    assert not PushSubscription.objects.exists()
    page = owner_client.get(response.url).text
    assert "Removed Chrome on Android: it gets no more notifications." in page
    assert "No phone has notifications on." in page


def test_remove_with_htmx_answers_with_the_card(owner_client, push_service):
    subscribe(owner_client, push_service)
    phone = PushSubscription.objects.get()
    response = owner_client.post(reverse("push:remove", args=[phone.pk]), **HX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "No phone has notifications on." in response.text
    assert "Removed Chrome on Android" in response["HX-Trigger-After-Settle"]


def test_a_test_notification_reaches_every_phone(owner_client, push_service):
    phone = subscribe(owner_client, push_service, "phone")
    tablet = subscribe(owner_client, push_service, "tablet")
    response = owner_client.post(reverse("push:send_test"), follow=True)
    assert "Sent a test notification to 2 phones." in response.text
    for browser in (phone, tablet):
        [push] = push_service.received_at(browser.endpoint)
        shown = browser.read(push)
        assert shown["title"] == "Kefir Tracker test"
        assert shown["url"] == reverse("accounts:account")


def test_a_test_notification_says_what_went_wrong(owner_client, push_service):
    gone = subscribe(owner_client, push_service, "gone")
    broken = subscribe(owner_client, push_service, "broken")
    push_service.answer(gone.endpoint, 410)
    push_service.answer(broken.endpoint, 500)
    response = owner_client.post(reverse("push:send_test"), **HX)
    said = json.loads(response["HX-Trigger-After-Settle"])["kefir:done"]
    assert said["message"] == (
        "Removed 1 phone that no longer take notifications. "
        "1 phone could not be reached: try again later."
    )
    assert said["level"] == "warning"
    assert PushSubscription.objects.get().endpoint == broken.endpoint


def test_a_test_notification_with_no_phone_says_to_turn_them_on(owner_client):
    response = owner_client.post(reverse("push:send_test"), follow=True)
    assert "No phone has notifications on: turn them on first." in response.text


def test_a_post_without_the_csrf_token_is_refused(owner, push_service):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    body = BrowserKeys(push_service.endpoint("phone")).to_json()
    assert post_json(client, "push:subscribe", body).status_code == 403
    assert not PushSubscription.objects.exists()
    client.get(reverse("accounts:account"))  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert post_json(client, "push:subscribe", body, HTTP_X_CSRFTOKEN=token).status_code == 200


def test_a_signed_out_browser_is_sent_to_sign_in(db, client, push_service):
    body = BrowserKeys(push_service.endpoint("phone")).to_json()
    response = post_json(client, "push:subscribe", body)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not PushSubscription.objects.exists()


def test_the_routes_take_posts_only(owner_client):
    for name in ("push:subscribe", "push:unsubscribe", "push:send_test"):
        assert owner_client.get(reverse(name)).status_code == 405

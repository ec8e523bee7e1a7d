"""What a browser sends when it subscribes: ``PushSubscription.toJSON()``, checked so
that a bad one is refused now, with a plain message, not when a reminder is due."""

import base64
import binascii
import json
import re
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django import forms
from django.conf import settings

from kefir_tracker.push.models import PushSubscription

MAX_BODY_BYTES = 4096  # a real subscription is about 400


class BadSubscription(ValueError):
    """Said to the browser as it is (a 400)."""


def _b64url(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def parse_body(body: bytes) -> dict:
    """The fields of a JSON body as a form takes them: endpoint, p256dh, auth."""
    if len(body) > MAX_BODY_BYTES:
        raise BadSubscription("That is too long to be a push subscription.")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadSubscription("Send the subscription as JSON.") from None
    if not isinstance(data, dict):
        raise BadSubscription("Send the subscription as a JSON object.")
    keys = data.get("keys")
    keys = keys if isinstance(keys, dict) else {}
    fields = {"endpoint": data.get("endpoint"), **keys}
    return {name: value for name, value in fields.items() if isinstance(value, str)}


class EndpointForm(forms.Form):
    endpoint = forms.URLField(
        max_length=PushSubscription._meta.get_field("endpoint").max_length,
        assume_scheme="https",
        error_messages={"required": "The subscription has no endpoint."},
    )

    def clean_endpoint(self):
        endpoint = self.cleaned_data["endpoint"]
        scheme = urlsplit(endpoint).scheme
        if scheme != "https" and not (scheme == "http" and settings.PUSH_ALLOW_PLAIN_HTTP):
            raise forms.ValidationError("A push service's endpoint is an https:// address.")
        return endpoint

    def first_error(self) -> str:
        return next(iter(self.errors.values()))[0]


class SubscriptionForm(EndpointForm):
    p256dh = forms.CharField(
        max_length=100, error_messages={"required": "The subscription has no p256dh key."}
    )
    auth = forms.CharField(
        max_length=50, error_messages={"required": "The subscription has no auth secret."}
    )

    def clean_p256dh(self):
        value = self.cleaned_data["p256dh"]
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _b64url(value))
        except (ValueError, binascii.Error):
            raise forms.ValidationError(
                "The p256dh key is not a P-256 public key in base64url."
            ) from None
        return value

    def clean_auth(self):
        value = self.cleaned_data["auth"]
        try:
            secret = _b64url(value)
        except (ValueError, binascii.Error):
            secret = b""
        if len(secret) != 16:
            raise forms.ValidationError("The auth secret is not 16 bytes in base64url.")
        return value


BROWSERS = [  # the first that matches; Edge and Samsung's also say Chrome
    ("Edge", r"Edg(e|A|iOS)?/"),
    ("Samsung Internet", r"SamsungBrowser/"),
    ("Firefox", r"Firefox/|FxiOS/"),
    ("Chrome", r"Chrome/|CriOS/"),
    ("Safari", r"Safari/"),
]
SYSTEMS = [
    ("Android", r"Android"),
    ("iPhone", r"iPhone"),
    ("iPad", r"iPad"),
    ("Windows", r"Windows"),
    ("a Mac", r"Macintosh"),
    ("Linux", r"Linux"),
]


def browser_label(user_agent: str) -> str:
    """A name a person recognises their phone by: "Chrome on Android"."""
    browser = next((name for name, found in BROWSERS if re.search(found, user_agent)), None)
    system = next((name for name, found in SYSTEMS if re.search(found, user_agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else "A browser")

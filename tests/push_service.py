"""A push service on this machine, standing in for Google's, Mozilla's or Apple's, and a
browser's side of a subscription, to read what it receives.

``PushService`` is a threaded HTTP server on 127.0.0.1 that takes Web Push requests
(RFC 8030) as a real one does: it checks the VAPID token (RFC 8292: signed by the key it
names, for this service's origin, not expired) and answers 403 when it is wrong, and
answers each endpoint with the status the test chose (201 unless told 404, 410 or 500).
It records every request. ``BrowserKeys`` is what a browser makes when it subscribes:
an EC P-256 key pair and a 16-byte auth secret; with them a test decrypts a received
body and reads the notification as the phone would.
"""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    endpoint: str
    headers: dict  # lower-case names
    body: bytes
    claims: dict | None  # the VAPID token's, when it was valid
    vapid_key: str  # the public key it was signed with ("k="), base64url
    status: int  # what the service answered


def check_vapid(authorization: str, origin: str) -> tuple[dict | None, str]:
    """(claims, public key) of an ``Authorization: vapid t=…,k=…`` header; claims are
    None unless the JWT is ES256-signed by that key, for ``origin``, and not expired."""
    scheme, _, params = authorization.partition(" ")
    parts = dict(item.split("=", 1) for item in params.split(",") if "=" in item)
    token, key = parts.get("t", ""), parts.get("k", "")
    if scheme.lower() != "vapid" or token.count(".") != 2:
        return None, key
    head, payload, signature = token.split(".")
    try:
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        raw = unb64url(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
        public.verify(der, f"{head}.{payload}".encode(), ec.ECDSA(hashes.SHA256()))
    except (ValueError, InvalidSignature):
        return None, key
    if json.loads(unb64url(head)).get("alg") != "ES256":
        return None, key
    claims = json.loads(unb64url(payload))
    if claims.get("aud") != origin or not time.time() < claims.get("exp", 0) <= time.time() + 86400:
        return None, key
    return claims, key


class PushService:
    def __init__(self):
        self.answers: dict[str, int] = {}  # endpoint -> status
        self.received: list[Received] = []
        self.delay_s = 0.0  # before answering: a slow push service
        self._lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                endpoint = service.origin + self.path
                claims, key = check_vapid(self.headers.get("Authorization", ""), service.origin)
                status = service.answers.get(endpoint, 201) if claims else 403
                time.sleep(service.delay_s)
                headers = {name.lower(): value for name, value in self.headers.items()}
                with service._lock:
                    service.received.append(Received(endpoint, headers, body, claims, key, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def endpoint(self, name: str) -> str:
        """A new endpoint, as a push service gives each subscribed browser."""
        return f"{self.origin}/push/{name}-{os.urandom(8).hex()}"

    def answer(self, endpoint: str, status: int) -> None:
        self.answers[endpoint] = status

    def received_at(self, endpoint: str) -> list[Received]:
        with self._lock:
            return [push for push in self.received if push.endpoint == endpoint]


@dataclass
class BrowserKeys:
    """The keys a browser makes for one subscription, and what it reads with them."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    def to_json(self) -> dict:
        """What ``PushSubscription.toJSON()`` gives in the browser."""
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(point), "auth": b64url(self.auth_secret)},
        }

    def read(self, received: Received) -> dict:
        """The notification's JSON, decrypted as the browser decrypts it."""
        assert received.headers.get("content-encoding") == "aes128gcm"
        plain = http_ece.decrypt(
            received.body,
            private_key=self.private_key,
            auth_secret=self.auth_secret,
            version="aes128gcm",
        )
        return json.loads(plain)

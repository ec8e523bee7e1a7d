"""The server's VAPID key pair (RFC 8292). A browser subscribes with the public half
(the page's applicationServerKey), and its push service then accepts only what is
signed with the private half. Made once, when first needed, into
DATA_DIR/vapid_private_key.pem (its owner's only), and never made again while that
file is there: a new key would silence every subscribed phone until each turns
notifications on again."""

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid
from py_vapid.utils import b64urlencode

from kefir_tracker.env import locked, write_atomically

KEY_FILE = "vapid_private_key.pem"


def key_file() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE


def vapid() -> Vapid:
    """The key pair, made first if there is none yet."""
    path = key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with locked(path.parent):  # two processes needing it at once make one key
            if not path.exists():
                private = ec.generate_private_key(ec.SECP256R1())
                pem = private.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
                write_atomically(path, pem.decode())
    return Vapid.from_file(str(path))


def application_server_key() -> str:
    """The public key as the browser's pushManager.subscribe() takes it: the
    uncompressed P-256 point, base64url without padding."""
    point = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64urlencode(point)

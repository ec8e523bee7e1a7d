"""Where a request came from: the address django-axes counts a failed sign-in against,
and the one a public page's rate limit counts visits of."""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """Where a request came from. Behind a proxy on this machine (SECURE_PROXY_SSL_HEADER
    set, the request from a loopback address) that is the address the proxy saw, the
    last in X-Forwarded-For: the proxy writes it (Caddy replaces what a client sent,
    others append), and without it every phone would share the proxy's 127.0.0.1, so
    five wrong passwords on one phone would pause that username on all of them. From
    anywhere else the header is not believed: a client that reached the app directly
    could send a new address with every guess."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not (forwarded and settings.SECURE_PROXY_SSL_HEADER and _is_loopback(remote)):
        return remote
    proxy_saw = forwarded.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(proxy_saw))
    except ValueError:
        return remote


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False

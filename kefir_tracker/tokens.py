"""Secret links: a random token that opens something without a sign-in, of which only
the SHA-256 is kept (as for a password reset), so the database alone opens nothing.
The token exists in full once, when it is made, to be shown to its owner."""

import hashlib
import re
import secrets

# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet, 256 bits.
TOKEN_BYTES = 32
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(token) -> bool:
    """Whether ``token`` could be one we made: anything else opens nothing, unhashed."""
    return isinstance(token, str) and TOKEN_SHAPE.fullmatch(token) is not None

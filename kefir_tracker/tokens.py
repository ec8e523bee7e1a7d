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


# A code to type from another phone (a kitchen invitation, a gift): Crockford's base32
# (no I, L, O or U), 12 characters, about 60 bits, shown in groups of four. It is kept
# as its SHA-256 too, and opens anything only once, before it expires.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def spaced(code: str) -> str:
    """A code as shown to be typed: ABCD-EFGH-JKMN."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalized_code(typed) -> str | None:
    """The code as made from what a person typed ("abcd-efgh jkmn": any case, spaces and
    dashes, an O for a 0); None for anything that cannot be one."""
    if not isinstance(typed, str) or len(typed) > 40:
        return None
    code = "".join(typed.upper().replace("-", "").split()).translate(_LOOKALIKES)
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code

"""Signed, expiring tokens for the links the portal e-mails (no Flask, no database).

Every purpose has its own salt, so a token made for one purpose never opens another.
Tokens are URL-safe, signed with the app's secret key and time-stamped; ``read``
refuses tampered, expired or wrong-purpose tokens by returning ``None``.

A password-reset token carries a fingerprint of the password hash it was issued
against, so it stops working the moment the password changes (including by using it).
"""
import hashlib
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

HOUR = 3600
DAY = 24 * HOUR


@dataclass(frozen=True)
class Purpose:
    salt: str
    max_age: int  # seconds


CONFIRM = Purpose("cabildo.account.confirm", 2 * DAY)
RESET = Purpose("cabildo.account.reset", 1 * HOUR)
EMAIL_CHANGE = Purpose("cabildo.account.email-change", 2 * DAY)
INVITE = Purpose("cabildo.account.invite", 7 * DAY)


def _serializer(secret: str, purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=purpose.salt)


def make(secret: str, purpose: Purpose, payload: dict) -> str:
    """A signed, time-stamped token carrying ``payload`` (a small JSON-able dict)."""
    return _serializer(secret, purpose).dumps(payload)


def read(secret: str, purpose: Purpose, token: str, now: float | None = None) -> dict | None:
    """The payload, or ``None`` when the token is tampered, expired or for another purpose.

    ``now`` (seconds since the epoch) lets tests move the clock.
    """
    serializer = _serializer(secret, purpose)
    try:
        if now is None:
            payload = serializer.loads(token, max_age=purpose.max_age)
        else:
            payload, issued = serializer.loads(token, return_timestamp=True)
            if now - issued.timestamp() > purpose.max_age:
                return None
    except (SignatureExpired, BadSignature, UnicodeError, ValueError, TypeError):
        return None
    return payload if isinstance(payload, dict) else None


def fingerprint(value: str | None) -> str:
    """A short digest of a secret (the password hash) to bind a token to its state."""
    return hashlib.sha256((value or "").encode("utf-8")).hexdigest()[:20]

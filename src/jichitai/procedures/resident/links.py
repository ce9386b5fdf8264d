"""Tokens of the 「申請した手続の一覧」 link: the row's nonce signed with the time of sending, so a
forged or stale token is refused before any database read."""

from datetime import timedelta

from django.core import signing

# How long a mailed link opens the list, and how long the opened list stays readable in the
# browser session that opened it.
LINK_LIFETIME = timedelta(minutes=30)
SESSION_LIFETIME = timedelta(minutes=30)
_SALT = "jichitai.procedures.my-applications"


def sign(nonce: str) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(nonce)


def nonce_of(token: str) -> str | None:
    """The nonce a token carries while it is genuine and younger than ``LINK_LIFETIME``."""
    try:
        return signing.TimestampSigner(salt=_SALT).unsign(token, max_age=LINK_LIFETIME)
    except signing.BadSignature:  # also SignatureExpired
        return None

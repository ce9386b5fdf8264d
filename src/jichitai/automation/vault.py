"""The secrets vault: values encrypted at rest with MultiFernet (the first key in
``JICHITAI_VAULT_KEYS`` encrypts, all of them decrypt, so keys can be rotated), and the redactor
that keeps secret values out of logs, messages, exceptions and audit entries."""

from urllib.parse import quote, quote_plus

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> MultiFernet:
    keys = [key for key in getattr(settings, "JICHITAI_VAULT_KEYS", []) if key]
    if not keys:
        raise ImproperlyConfigured("JICHITAI_VAULT_KEYS is not set: the secrets vault needs a key.")
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ImproperlyConfigured(
            "保管された秘密情報を復号できません(鍵が変更された可能性があります)。"
        ) from None


def rotate(token: str) -> str:
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


MASK = "[秘密情報]"


class Redactor:
    """Replaces every known secret value, as typed and URL-encoded, with a mask."""

    def __init__(self, values=()):
        self._values: set[str] = set()
        for value in values:
            self.add(value)

    def add(self, value: str) -> None:
        if not value or len(value) < 3:
            # Masking one or two characters would shred ordinary text; such secrets are refused
            # when stored.
            return
        self._values.update({value, quote(value, safe=""), quote_plus(value), quote(value)})

    def __call__(self, text) -> str:
        text = "" if text is None else str(text)
        for value in sorted(self._values, key=len, reverse=True):
            text = text.replace(value, MASK)
        return text

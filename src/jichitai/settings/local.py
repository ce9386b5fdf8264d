"""Development settings used by `make run`: SQLite under var/, demo logins without a second factor."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
JICHITAI_ENVIRONMENT = env.str("JICHITAI_ENVIRONMENT", default="development")
JICHITAI_DEMO_LOGIN_WITHOUT_OTP = env.bool("JICHITAI_DEMO_LOGIN_WITHOUT_OTP", default=True)


def _development_secret_key() -> str:
    """A per-checkout key kept in var/, so sessions survive restarts without a key in the repo."""
    from django.utils.crypto import get_random_string

    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(get_random_string(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _development_secret_key()


def _development_vault_key() -> str:
    """A per-checkout Fernet key for the automation secrets vault, kept in var/."""
    from cryptography.fernet import Fernet

    key_file = VAR_DIR / "vault_key"
    if not key_file.exists():
        key_file.write_text(Fernet.generate_key().decode())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


JICHITAI_VAULT_KEYS = env.list("JICHITAI_VAULT_KEYS", default=[]) or [_development_vault_key()]
LOGGING["handlers"]["console"]["formatter"] = env.str("LOG_FORMAT", default="plain")  # noqa: F405

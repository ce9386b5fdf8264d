from collections.abc import Sequence
from ipaddress import ip_address
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import DatabaseError, connection


@register(Tags.security, deploy=True)
def demo_shortcuts_are_off(
    app_configs: Sequence[AppConfig] | None, **kwargs: object
) -> list[CheckMessage]:
    """The demo's login without a second factor must never reach a deployment."""
    if getattr(settings, "JICHITAI_DEMO_LOGIN_WITHOUT_OTP", False):
        return [
            Error(
                "JICHITAI_DEMO_LOGIN_WITHOUT_OTP is on: demo accounts could log in without a second "
                "factor.",
                hint="Use jichitai.settings.production, which forces it off.",
                id="jichitai.E001",
            )
        ]
    return []


# Backends that keep mail on this machine (printed, kept in memory, dropped or written to files):
# in production invitations, password resets and residents' receipts would never arrive.
UNDELIVERED_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def mail_is_delivered(
    app_configs: Sequence[AppConfig] | None, **kwargs: object
) -> list[CheckMessage]:
    if settings.EMAIL_BACKEND in UNDELIVERED_MAIL_BACKENDS:
        return [
            Error(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: e-mail would not be delivered.",
                hint="Unset EMAIL_BACKEND (production settings send through SMTP) and set "
                "EMAIL_HOST, EMAIL_PORT and DEFAULT_FROM_EMAIL.",
                id="jichitai.E004",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def demo_accounts_are_absent(
    app_configs: Sequence[AppConfig] | None, **kwargs: object
) -> list[CheckMessage]:
    """Demo accounts share a published password: a deployment's database must not hold any."""
    user_model = get_user_model()
    try:
        if user_model._meta.db_table not in connection.introspection.table_names():
            return []  # not migrated yet: no accounts at all
        usernames = list(
            user_model.objects.filter(is_demo=True).values_list("username", flat=True)[:10]
        )
    except DatabaseError as error:
        return [
            Error(
                f"Could not look for demo accounts in the database: {error}",
                hint="Run the deploy check where the production database answers.",
                id="jichitai.E003",
            )
        ]
    if usernames:
        return [
            Error(
                f"Demo accounts exist in this database: {', '.join(usernames)}.",
                hint="Their password is published. Use a database that `jichitai demo` never "
                "loaded, or delete these accounts.",
                id="jichitai.E003",
            )
        ]
    return []


def _is_public_https(url: str) -> bool:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "https" or not host or host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        address = ip_address(host)
    except ValueError:
        return True
    return not (address.is_loopback or address.is_private or address.is_unspecified)


@register(Tags.security, deploy=True)
def base_url_is_public(
    app_configs: Sequence[AppConfig] | None, **kwargs: object
) -> list[CheckMessage]:
    """Every link in e-mails and PDFs starts from JICHITAI_BASE_URL: the development default
    (http://127.0.0.1:8000) would send residents and staff to their own machine."""
    if not _is_public_https(settings.JICHITAI_BASE_URL):
        return [
            Error(
                f"JICHITAI_BASE_URL is {settings.JICHITAI_BASE_URL!r}: links in e-mails and PDFs "
                "would not reach the site.",
                hint="Set JICHITAI_BASE_URL to the site's public https:// address, "
                "e.g. https://shinsei.example.lg.jp.",
                id="jichitai.E010",
            )
        ]
    return []

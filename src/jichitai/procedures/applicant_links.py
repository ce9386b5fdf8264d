"""The e-mailed link to 「申請した手続の一覧」: its token — the row's nonce signed with the time of
sending, so a forged or stale token is refused before any database read — and the reads behind it
(the link a token names, the applications made with an address in every organization)."""

from datetime import timedelta

from django.core import signing
from django.db.models import QuerySet
from django.utils import timezone

from jichitai.procedures.models import ApplicantLink, Application

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


def applications_made_with(email: str) -> QuerySet[Application]:
    """Every application, in any organization, made with this e-mail address (the person who
    proved they read it), newest first; none whose personal data was erased."""
    if not email:
        return Application.objects.none()
    return (
        Application.objects.filter(applicant_email__iexact=email.strip(), purged_at__isnull=True)
        .select_related("organization", "procedure")
        .only(
            "receipt_number",
            "status",
            "status_token",
            "submitted_at",
            "organization__code",
            "organization__name",
            "procedure__name",
        )
        .order_by("-submitted_at", "-id")
    )


def language_of_link(token: str) -> str:
    """The language the link a genuine token names was asked in, used or not ("" for none)."""
    nonce = nonce_of(token)
    if nonce is None:
        return ""
    return (
        ApplicantLink.objects.filter(nonce=nonce).values_list("language", flat=True).first() or ""
    )


def live_applicant_link(token: str) -> ApplicantLink | None:
    """The unused, unexpired link a genuine token names."""
    nonce = nonce_of(token)
    if nonce is None:
        return None
    return ApplicantLink.objects.filter(
        nonce=nonce, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()

"""The e-mailed link to the list of one's applications (「申請した手続の一覧」)."""

import secrets

from django.db import transaction
from django.utils import timezone

from jichitai.audit import services as audit
from jichitai.procedures import applicant_links as links
from jichitai.procedures import notifications
from jichitai.procedures.models import ApplicantLink


@transaction.atomic
def request_applicant_link(*, email: str, language: str = "ja") -> ApplicantLink:
    """Records a link for ``email`` and queues its mail, in ``language``. The same work is done
    whether or not the address has applications: the mail itself (sent in the background) says
    which."""
    link = ApplicantLink.objects.create(
        email=email.strip().lower(),
        language=language,
        nonce=secrets.token_urlsafe(24),
        expires_at=timezone.now() + links.LINK_LIFETIME,
    )
    audit.record(
        action="procedures.applicant_link.requested",
        target=link,
        summary="申請した手続の一覧へのリンクを送信",
    )
    notifications.applicant_link_requested(link)
    return link


@transaction.atomic
def use_applicant_link(*, token: str) -> ApplicantLink | None:
    """Spends the link the token names and returns it (its address, its language); None when the
    token is forged, expired or already used."""
    nonce = links.nonce_of(token)
    if nonce is None:
        return None
    now = timezone.now()
    link = (
        ApplicantLink.objects.select_for_update()
        .filter(nonce=nonce, used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if link is None:
        return None
    link.used_at = now
    link.save(update_fields=["used_at"])
    audit.record(
        action="procedures.applicant_link.used",
        target=link,
        summary="申請した手続の一覧を開いた",
    )
    return link

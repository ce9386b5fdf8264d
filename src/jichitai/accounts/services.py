"""Writes about staff accounts: second-factor enrolment and verification, password changes."""

import secrets
import unicodedata
from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from jichitai.accounts.models import ApiToken, EnrolmentCode, User
from jichitai.accounts.selectors import confirmed_totp_device, hash_secret
from jichitai.audit import services as audit
from jichitai.tenancy.models import Membership

TOKEN_DEVICE_NAME = "認証アプリ"  # noqa: S105  (a device label, not a secret)


class SignedInRequest(HttpRequest):
    """A request of a person who has given their password (the login views ask nothing else)."""

    user: User


def pending_totp_device(*, user: User) -> TOTPDevice:
    """The device being enrolled: one unconfirmed device per user, reused until confirmed so the QR
    code shown does not change on reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOKEN_DEVICE_NAME, confirmed=False)


def _throttled_message(device: TOTPDevice) -> str | None:
    """django-otp doubles the wait after each wrong code; say so instead of a bare refusal."""
    allowed, _details = device.verify_is_allowed()
    if allowed:
        return None
    return "確認コードの誤りが続いたため、少し待ってから最新のコードを入力してください。"


WRONG_CODE = "確認コードが正しくありません。認証アプリの最新のコードを入力してください。"
WRONG_ENROLMENT_CODE = (
    "登録コードが正しくないか、有効期限が切れています。"
    "管理者に新しい登録コードの発行を依頼してください。"
)
# No 0/O, 1/I/L: the code is read out over the phone or copied from paper.
ENROLMENT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ENROLMENT_CODE_LENGTH = 12  # about 59 bits; tries are rate limited and the code expires


def _normalize_enrolment_code(typed: str) -> str:
    """Upper case without spaces or hyphens, full-width characters folded, as people type it."""
    folded = unicodedata.normalize("NFKC", typed).upper()
    return "".join(character for character in folded if character.isalnum())


@transaction.atomic
def issue_enrolment_code(*, actor: User, membership: Membership) -> str:
    """Issues a one-time code with which ``membership``'s person enrols a first authenticator, and
    returns it (shown once to the admin). Earlier unused codes of that person stop working."""
    user = membership.user
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
    raw = "".join(secrets.choice(ENROLMENT_CODE_ALPHABET) for _ in range(ENROLMENT_CODE_LENGTH))
    code = EnrolmentCode.objects.create(
        user=user,
        organization=membership.organization,
        issued_by=actor,
        code_hash=hash_secret(raw),
        expires_at=now + timedelta(hours=settings.JICHITAI_ENROLMENT_CODE_HOURS),
    )
    audit.record(
        action="accounts.enrolment_code.issued",
        actor=actor,
        organization=membership.organization,
        target=user,
        summary=f"{user.username} の二要素認証の登録コードを発行",
        changes={"expires_at": [None, code.expires_at.isoformat()]},
    )
    return "-".join(raw[i : i + 4] for i in range(0, ENROLMENT_CODE_LENGTH, 4))


def _usable_enrolment_code(user: User, typed: str) -> EnrolmentCode | None:
    return (
        EnrolmentCode.objects.select_for_update()
        .filter(
            user=user,
            code_hash=hash_secret(_normalize_enrolment_code(typed)),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


@transaction.atomic
def confirm_totp_device(
    *, request: HttpRequest, device: TOTPDevice, token: str, enrolment_code: str = ""
) -> dict[str, str] | None:
    """Confirms the device being enrolled. A person without a confirmed device (a first enrolment)
    also gives an enrolment code issued by an admin. Returns error messages by field, or None."""
    code = None
    if confirmed_totp_device(device.user) is None:
        code = _usable_enrolment_code(device.user, enrolment_code)
        if code is None:
            return {"enrolment_code": WRONG_ENROLMENT_CODE}
    if message := _throttled_message(device):
        return {"token": message}
    if not device.verify_token(token):
        return {"token": WRONG_CODE}
    if code is not None:
        code.used_at = timezone.now()
        code.save(update_fields=["used_at"])
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    audit.record(
        action="accounts.totp_enrolled",
        actor=device.user,
        target=device.user,
        summary="二要素認証を登録",
    )
    return None


def verify_second_factor(*, request: SignedInRequest, token: str) -> str | None:
    """Completes the login with the TOTP code; returns an error message for the person, or None.
    Failures are audited too."""
    # The view asks for a code only from a person with a confirmed device.
    device = cast(TOTPDevice, confirmed_totp_device(request.user))
    if message := _throttled_message(device):
        return message
    if not device.verify_token(token):
        audit.record(
            action="accounts.second_factor_failed",
            actor=request.user,
            target=request.user,
            summary="二要素認証の確認コードが誤っています",
            kind="auth",
        )
        return WRONG_CODE
    with transaction.atomic():
        otp_login(request, device)
        audit.record(
            action="accounts.login",
            actor=request.user,
            target=request.user,
            summary="ログイン",
            kind="auth",
        )
    return None


def record_password_login(*, user: User, second_factor_skipped: bool) -> None:
    summary = "ログイン(デモ: 二要素認証なし)" if second_factor_skipped else "パスワード確認"
    audit.record(
        action="accounts.password_ok", actor=user, target=user, summary=summary, kind="auth"
    )


@transaction.atomic
def change_password(*, request: HttpRequest, user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    audit.record(
        action="accounts.password_changed", actor=user, target=user, summary="パスワード変更"
    )


@transaction.atomic
def create_api_token(
    *,
    actor: User,
    membership: Membership,
    name: str,
    role: str,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Returns ``(token, raw)``; ``raw`` (``<prefix>.<secret>``) is shown to the person once and
    never stored."""
    if not membership.has_role(role):
        raise ValidationError({"role": _("自分の権限より強い権限のトークンは作れません。")})
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=membership.user,
        organization=membership.organization,
        role=role,
        name=name,
        prefix=prefix,
        secret_hash=hash_secret(secret),
        expires_at=expires_at,
    )
    audit.record(
        action="accounts.api_token.created",
        actor=actor,
        organization=membership.organization,
        target=token,
        changes={"role": [None, role], "name": [None, name]},
    )
    return token, f"{prefix}.{secret}"


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            action="accounts.api_token.revoked",
            actor=actor,
            organization=token.organization,
            target=token,
        )


def touch_api_token(*, token: ApiToken) -> None:
    """Records when a token was last used (at most once a minute, to keep API calls cheap)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


@transaction.atomic
def set_notification_settings(*, actor: User, application_digest: bool) -> None:
    actor.application_digest = application_digest
    actor.save(update_fields=["application_digest"])
    audit.record(
        action="accounts.notifications.changed",
        actor=actor,
        target=actor,
        summary="新しい申請のお知らせメール: "
        + ("受け取る" if application_digest else "受け取らない"),
    )

"""Writes about staff accounts: second-factor enrolment and verification, password changes."""

import secrets

from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from jichitai.accounts.models import ApiToken
from jichitai.accounts.selectors import confirmed_totp_device, hash_secret
from jichitai.audit import services as audit

TOKEN_DEVICE_NAME = "認証アプリ"  # noqa: S105  (a device label, not a secret)


def pending_totp_device(user) -> TOTPDevice:
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


@transaction.atomic
def confirm_totp_device(request, device: TOTPDevice, token: str) -> str | None:
    """Confirms the device being enrolled; returns an error message for the person, or None."""
    if message := _throttled_message(device):
        return message
    if not device.verify_token(token):
        return WRONG_CODE
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    audit.record(
        "accounts.totp_enrolled", actor=device.user, target=device.user, summary="二要素認証を登録"
    )
    return None


def verify_second_factor(request, token: str) -> str | None:
    """Completes the login with the TOTP code; returns an error message for the person, or None.
    Failures are audited too."""
    device = confirmed_totp_device(request.user)
    if message := _throttled_message(device):
        return message
    if not device.verify_token(token):
        audit.record(
            "accounts.second_factor_failed",
            actor=request.user,
            target=request.user,
            summary="二要素認証の確認コードが誤っています",
            kind="auth",
        )
        return WRONG_CODE
    with transaction.atomic():
        otp_login(request, device)
        audit.record(
            "accounts.login",
            actor=request.user,
            target=request.user,
            summary="ログイン",
            kind="auth",
        )
    return None


def record_password_login(user, *, second_factor_skipped: bool) -> None:
    summary = "ログイン(デモ: 二要素認証なし)" if second_factor_skipped else "パスワード確認"
    audit.record("accounts.password_ok", actor=user, target=user, summary=summary, kind="auth")


@transaction.atomic
def change_password(request, user, new_password: str) -> None:
    user.set_password(new_password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    audit.record("accounts.password_changed", actor=user, target=user, summary="パスワード変更")


@transaction.atomic
def create_api_token(*, actor, membership, name: str, role: str, expires_at=None) -> tuple:
    """Returns ``(token, raw)``; ``raw`` (``<prefix>.<secret>``) is shown to the person once and
    never stored."""
    if not membership.has_role(role):
        raise ValidationError({"role": "自分の権限より強い権限のトークンは作れません。"})
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
        "accounts.api_token.created",
        actor=actor,
        organization=membership.organization,
        target=token,
        changes={"role": [None, role], "name": [None, name]},
    )
    return token, f"{prefix}.{secret}"


@transaction.atomic
def revoke_api_token(*, actor, token) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            "accounts.api_token.revoked", actor=actor, organization=token.organization, target=token
        )


def touch_api_token(token) -> None:
    """Records when a token was last used (at most once a minute, to keep API calls cheap)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)

"""Writes about staff accounts: second-factor enrolment and verification, password changes."""

from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from jichitai.accounts.selectors import confirmed_totp_device
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

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def may_skip_second_factor(user) -> bool:
    """Only demo accounts, and only where the settings allow it (never in production)."""
    return bool(settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP and getattr(user, "is_demo", False))


def needs_second_factor(user) -> bool:
    return user.is_authenticated and not user.is_verified() and not may_skip_second_factor(user)

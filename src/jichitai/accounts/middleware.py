from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from jichitai.accounts.selectors import confirmed_totp_device, needs_second_factor
from jichitai.core.decorators import is_public_view


def before_second_factor(view_func):
    """Marks a view that a user who has passed only the password step may reach (second-factor
    verification and enrolment, logout, language switch)."""
    view_func.before_second_factor = True
    return view_func


class SecondFactorMiddleware:
    """A staff session is usable only after the TOTP second factor (django-otp) is verified; until
    then every non-public page sends the user to verification, or to enrolment if no device exists."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_public_view(view_func) or getattr(view_func, "before_second_factor", False):
            return None
        if not needs_second_factor(request.user):
            return None
        target = (
            "accounts:otp_verify" if confirmed_totp_device(request.user) else "accounts:otp_setup"
        )
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

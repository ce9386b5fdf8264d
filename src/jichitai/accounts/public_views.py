from base64 import b32encode
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jichitai.accounts import services
from jichitai.accounts.forms import EnrolmentForm, LoginForm, NotificationSettingsForm, TokenForm
from jichitai.accounts.middleware import before_second_factor
from jichitai.accounts.selectors import (
    confirmed_totp_device,
    may_skip_second_factor,
    needs_second_factor,
)
from jichitai.core.decorators import public_view
from jichitai.core.ratelimit import limit_mail, rate_limited
from jichitai.tenancy import selectors as tenancy_selectors
from jichitai.tenancy import services as tenancy_services
from jichitai.tenancy.selectors import account_named


def _safe_next(request, default: str = "dashboard:home") -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@method_decorator(public_view, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        skipped = may_skip_second_factor(user)
        services.record_password_login(user=user, second_factor_skipped=skipped)
        if skipped:
            return response
        target = "accounts:otp_verify" if confirmed_totp_device(user) else "accounts:otp_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': self.get_success_url()})}")


# Per-address limit on password attempts, on top of the per-account lockout (django-axes): it stops
# one address from trying many accounts.
login_view = public_view(rate_limited("login", "20/10m")(LoginView.as_view()))


@login_required
@before_second_factor
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    if confirmed_totp_device(request.user) is None:
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = services.verify_second_factor(request=request, token=form.cleaned_data["token"])
        if error is None:
            return redirect(_safe_next(request))
        form.add_error("token", error)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request)})


@login_required
@before_second_factor
@rate_limited("otp-setup", "20/10m")
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    has_device = confirmed_totp_device(request.user) is not None
    if has_device and not request.user.is_verified():
        return redirect("accounts:otp_verify")
    device = services.pending_totp_device(user=request.user)
    # A first device needs the enrolment code an admin issued; replacing one needs only the session
    # already verified with the old device.
    form = (TokenForm if has_device else EnrolmentForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        errors = services.confirm_totp_device(
            request=request,
            device=device,
            token=form.cleaned_data["token"],
            enrolment_code=form.cleaned_data.get("enrolment_code", ""),
        )
        if errors is None:
            messages.success(request, _("二要素認証を登録しました。"))
            return redirect(_safe_next(request))
        for field, message in errors.items():
            form.add_error(field, message)
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("認証アプリ登録用のQRコード")
    )
    context = {
        "form": form,
        "qr_svg": qr_svg,
        "secret": b32encode(device.bin_key).decode(),
        "next": _safe_next(request),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(
            request=request, user=request.user, new_password=form.cleaned_data["new_password1"]
        )
        messages.success(request, _("パスワードを変更しました。"))
        return redirect("dashboard:home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """The person's own choice of e-mails: the digest of new applications to their division."""
    # An unticked box sends nothing: an empty POST is still an answer.
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"application_digest": request.user.application_digest},
    )
    if request.method == "POST" and form.is_valid():
        services.set_notification_settings(
            actor=request.user, application_digest=form.cleaned_data["application_digest"]
        )
        messages.success(request, _("お知らせメールの設定を保存しました。"))
        return redirect("accounts:notification_settings")
    return render(request, "accounts/notification_settings.html", {"form": form})


logout_view = before_second_factor(auth_views.LogoutView.as_view())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Counted for every address asked for, with or without an account behind it.
        limit_mail(self.request, form.cleaned_data["email"])
        # The link starts from the site's public address, never from the Host the request named.
        public = urlsplit(settings.JICHITAI_BASE_URL.rstrip("/"))
        self.extra_email_context = {
            "protocol": public.scheme,
            "domain": public.netloc + public.path,
        }
        return super().form_valid(form)


password_reset = public_view(rate_limited("password-reset", "20/10m")(PasswordResetView.as_view()))
password_reset_done = public_view(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = public_view(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:login"),
    )
)


@public_view
@rate_limited("invitation", "30/10m")
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The link in an invitation mail. A login ID without an account: the person sets a password
    and the account is created. An existing account: its holder, logged in with both factors,
    accepts; nobody else can."""
    offer = tenancy_selectors.open_invitation(token)
    account = account_named(offer.username)
    context = {"invitation": offer, "organization": offer.organization}
    if account is None:
        form = SetPasswordForm(
            get_user_model()(username=offer.username, email=offer.email), request.POST or None
        )
        if request.method == "POST" and form.is_valid():
            try:
                tenancy_services.create_account_from_invitation(
                    invitation=offer, password=form.cleaned_data["new_password1"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "アカウントを作成しました。ログインし、管理者から受け取る登録コードで"
                        "二要素認証を登録してください。"
                    ),
                )
                return redirect("accounts:login")
        return render(request, "accounts/invitation_new_account.html", {**context, "form": form})

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if needs_second_factor(request.user):
        target = (
            "accounts:otp_verify" if confirmed_totp_device(request.user) else "accounts:otp_setup"
        )
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
    error = None
    if request.method == "POST":
        try:
            tenancy_services.accept_invitation(invitation=offer, user=request.user)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            messages.success(
                request, _("%(name)s の職員として登録されました。") % {"name": offer.organization}
            )
            return redirect("dashboard:organization_home", org_code=offer.organization.code)
    elif request.user.pk != account.pk:
        error = _(
            "この招待は別のログインID(%(username)s)宛てです。そのログインIDでログインし直してください。"
        ) % {"username": offer.username}
    return render(
        request,
        "accounts/invitation.html",
        {**context, "error": error, "may_accept": request.user.pk == account.pk},
        status=403 if error else 200,
    )

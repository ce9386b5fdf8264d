from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from jichitai.core.forms import JapaneseDateField


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "ログインIDまたはパスワードが正しくありません。入力内容を確認してください。"
        ),
        "inactive": _("このアカウントは利用停止中です。管理者に連絡してください。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("ログインID")
        # No autofocus: it skips the page's context for screen-reader users (and the skip link).
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("確認コード(6桁)"),
        min_length=6,
        max_length=6,
        help_text=_("認証アプリに表示されている6桁の数字を入力してください。"),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
        error_messages={
            "required": _("確認コードを入力してください。"),
            "min_length": _("確認コードは6桁の数字です。"),
            "max_length": _("確認コードは6桁の数字です。"),
        },
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        token = token.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        if not token.isdigit():
            raise forms.ValidationError(_("確認コードは6桁の数字です。"))
        return token


class EnrolmentForm(TokenForm):
    """A first enrolment: the code from the administrator, then the authenticator's code."""

    enrolment_code = forms.CharField(
        label=_("登録コード"),
        max_length=40,
        help_text=_("管理者から受け取った登録コード(例: ABCD-EFGH-JKMN)。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": _("登録コードを入力してください。")},
    )
    field_order = ["enrolment_code", "token"]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("用途"),
        max_length=100,
        help_text=_(
            "どのシステムが使うトークンか分かる名前(例: 基幹システム連携、CKAN ハーベスタ)"
        ),
    )
    role = forms.ChoiceField(label=_("権限"))
    expires_at = JapaneseDateField(
        label=_("有効期限"), required=False, help_text=_("空欄なら無期限。例: 令和9年3月31日")
    )

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = list(roles)


class NotificationSettingsForm(forms.Form):
    application_digest = forms.BooleanField(
        label=_("新しい申請のお知らせメールを受け取る"),
        required=False,
        help_text=_(
            "所属の手続に申請や再提出があったとき、1時間ごとにまとめて1通のメールでお知らせします。"
            "新しいものがなければ送りません。"
        ),
    )

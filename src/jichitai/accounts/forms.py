from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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

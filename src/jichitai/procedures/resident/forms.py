from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jichitai.core import japanese
from jichitai.core.forms import JapaneseDateField
from jichitai.procedures.translation_table import TRANSLATABLE_LANGUAGES


class LookupForm(forms.Form):
    receipt_number = forms.CharField(
        label=_("受付番号"),
        max_length=32,
        help_text=_("例: 242012-2026-000123(受付完了の画面・受付票・受付メールにあります)"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
        error_messages={"required": _("受付番号を入力してください。")},
    )
    email = forms.EmailField(
        label=_("申請したときのメールアドレス"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("メールアドレスの形式が正しくありません。例: taro@example.jp")
        },
    )
    birth_date = JapaneseDateField(
        label=_("生年月日"),
        required=False,
        help_text=_("メールアドレスを入力しなかった手続では生年月日で確認します(和暦も可)。"),
    )

    def clean_receipt_number(self):
        return (
            japanese.normalize_width(self.cleaned_data["receipt_number"]).strip().replace("ー", "-")
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("birth_date") and not self.errors:
            raise ValidationError(
                _("メールアドレスか生年月日のどちらかを入力してください。"), code="required"
            )
        return cleaned

    @property
    def secret(self) -> str:
        birth_date = self.cleaned_data.get("birth_date")
        return self.cleaned_data.get("email") or (birth_date.isoformat() if birth_date else "")


class FinderForm(forms.Form):
    q = forms.CharField(label=_("キーワード"), required=False, max_length=100)
    postal_code = forms.CharField(
        label=_("お住まいの郵便番号"),
        required=False,
        max_length=10,
        help_text=_("例: 514-0006。入力すると、お住まいの市町と県の手続を表示します。"),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("お住まいの市町"),
        queryset=None,
        required=False,
        empty_label=_("すべての市町と県"),
    )

    lang = forms.ChoiceField(
        label=_("申請できる言語"),
        required=False,
        # "ja" is what the page's language menu sends for Japanese.
        choices=[("ja", _("日本語(すべての手続)")), *TRANSLATABLE_LANGUAGES.items()],
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities

    def clean_postal_code(self):
        text = self.cleaned_data["postal_code"]
        if not text:
            return ""
        try:
            return japanese.normalize_postal_code(text)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None


class ApplicantLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("申請したときのメールアドレス"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("メールアドレスを入力してください。"),
            "invalid": _("メールアドレスの形式が正しくありません。例: taro@example.jp"),
        },
    )

from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.audit.labels import action_label
from jichitai.audit.models import AuditEvent
from jichitai.core import japanese
from jichitai.core.forms import JapaneseDateField, LocalGovernmentCodeField
from jichitai.tenancy.models import Division, Membership, Organization, Role


def postal_code_field():
    # Longer than the stored NNN-NNNN so that 〒 and full-width input reach the normalisation.
    return forms.CharField(label=_("郵便番号"), required=False, max_length=20)


def phone_field():
    return forms.CharField(label=_("電話番号"), required=False, max_length=30)


class JapaneseContactCleaningMixin:
    """Stores postal codes as NNN-NNNN, phone numbers in the national format and readings in
    hiragana, whatever width or form the person typed them in."""

    def clean_postal_code(self):
        value = self.cleaned_data.get("postal_code", "")
        if not value:
            return value
        try:
            return japanese.normalize_postal_code(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        if not value:
            return value
        try:
            return japanese.normalize_phone_number(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_name_kana(self):
        return japanese.hiragana(self.cleaned_data.get("name_kana", "").strip())


class OrganizationForm(JapaneseContactCleaningMixin, forms.ModelForm):
    postal_code = postal_code_field()
    phone = phone_field()
    website = forms.URLField(label=_("ウェブサイト"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ["name", "name_kana", "postal_code", "address", "phone", "email", "website"]


class PrivacyPolicyForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["privacy_policy"]
        widgets = {"privacy_policy": forms.Textarea(attrs={"rows": 20})}
        help_texts = {
            "privacy_policy": _(
                "申請フォームの同意欄からリンクされ、公開ページに表示されます。"
                "利用目的、提供先、保存期間、問い合わせ先などを書いてください。"
            )
        }


class MunicipalityForm(JapaneseContactCleaningMixin, forms.Form):
    code = LocalGovernmentCodeField(label=_("全国地方公共団体コード"))
    name = forms.CharField(label=_("団体名"), max_length=100)
    name_kana = forms.CharField(label=_("よみ(ひらがな)"), max_length=200)
    kind = forms.ChoiceField(
        label=_("種別"),
        choices=[c for c in Organization.Kind.choices if c[0] != Organization.Kind.PREFECTURE],
    )


class MunicipalityChangeForm(JapaneseContactCleaningMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "name_kana", "kind", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            c for c in Organization.Kind.choices if c[0] != Organization.Kind.PREFECTURE
        ]


class DivisionForm(JapaneseContactCleaningMixin, forms.ModelForm):
    phone = phone_field()

    class Meta:
        model = Division
        fields = ["name", "department", "phone", "email", "is_active"]


class StaffInviteForm(forms.Form):
    username = forms.RegexField(
        label=_("ログインID"),
        regex=r"^[A-Za-z0-9_.@+-]{3,150}$",
        error_messages={"invalid": _("ログインIDは半角英数字と _ . @ + - の3文字以上です。")},
        help_text=_(
            "招待メールを送り、本人が承諾すると登録されます。"
            "すでにアカウントのあるIDなら、そのアカウントの持ち主が承諾します。"
        ),
    )
    full_name = forms.CharField(label=_("氏名"), max_length=100, required=False)
    email = forms.EmailField(
        label=_("メールアドレス"),
        help_text=_(
            "招待メールの宛先(すでにアカウントのあるIDには、そのアカウントの宛先へ送ります)"
        ),
        error_messages={"required": _("メールアドレスを入力してください。")},
    )


class MemberAddForm(StaffInviteForm):
    role = forms.ChoiceField(label=_("権限"), choices=Role.choices, initial=Role.CLERK)
    division = forms.ModelChoiceField(
        label=_("所属"), queryset=Division.objects.none(), required=False
    )

    def __init__(self, *args, divisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = (
            divisions if divisions is not None else Division.objects.none()
        )


class MemberChangeForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "division", "is_active"]

    def __init__(self, *args, divisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = (
            divisions if divisions is not None else Division.objects.none()
        )


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        max_length=500,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("市町の管理者にメールで伝わり、両方の監査ログに残ります。"),
        error_messages={"required": _("緊急アクセスの理由を入力してください。")},
    )
    hours = forms.IntegerField(
        label=_("期間(時間)"),
        initial=2,
        help_text=_("1〜8時間。期限を過ぎると自動的にアクセスできなくなります。"),
    )


class AuditFilterForm(forms.Form):
    """Filters of the audit log; the operation is chosen by its name among ``actions`` (the codes
    found in the organization's log), not typed as a code."""

    action = forms.ChoiceField(label=_("操作"), required=False)
    kind = forms.ChoiceField(
        label=_("種類"), required=False, choices=[("", _("すべて")), *AuditEvent.Kind.choices]
    )
    actor_name = forms.CharField(label=_("操作者"), required=False)
    target = forms.CharField(label=_("対象"), required=False)
    since = JapaneseDateField(label=_("開始日"), required=False)
    until = JapaneseDateField(label=_("終了日"), required=False)

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        named = sorted(((code, action_label(code)) for code in actions), key=lambda c: c[1])
        self.fields["action"].choices = [("", _("すべて")), *named]

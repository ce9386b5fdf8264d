from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.core.forms import AmountField, JapaneseDateField
from jichitai.payments.models import ReconciliationProfile


class FeeForm(forms.Form):
    amount = AmountField(
        label=_("手数料(円)"),
        unit="円",
        min_value=1,
        max_value=10_000_000,
        help_text=_("例: 3,200"),
        error_messages={"invalid": _("手数料は1円以上の整数で入力してください(例: 3,200)。")},
    )


class RefundForm(forms.Form):
    reason = forms.CharField(label=_("返金の理由"), max_length=200)


class ReceivedPaymentForm(forms.Form):
    paid_on = JapaneseDateField(label=_("入金日"), help_text=_("例: 令和8年4月1日、2026-04-01"))
    amount = AmountField(
        label=_("金額(円)"),
        unit="円",
        min_value=1,
        max_value=10_000_000,
        error_messages={"invalid": _("金額は1円以上の整数で入力してください(例: 3,200)。")},
    )
    reference = forms.CharField(
        label=_("入金の記録"),
        max_length=100,
        help_text=_(
            "領収の控えの番号など、あとで確かめられるもの。例: 窓口領収番号 0123、収入証紙"
        ),
    )


class DueDateForm(forms.Form):
    due_date = JapaneseDateField(
        label=_("新しい納付期限"), help_text=_("例: 令和8年4月1日、2026-04-01")
    )


class ReconciliationProfileForm(forms.ModelForm):
    class Meta:
        model = ReconciliationProfile
        fields = [
            "name",
            "number_column",
            "amount_column",
            "paid_on_column",
            "header_row",
        ]


class ReceiptsFileForm(forms.Form):
    profile = forms.ModelChoiceField(
        label=_("取込設定"), queryset=ReconciliationProfile.objects.none()
    )
    file = forms.FileField(
        label=_("入金データ(CSV・XLSX・テキスト)"),
        help_text=_("文字コードは自動で判別します(UTF-8・Shift_JIS・Excel の Unicode テキスト)。"),
    )

    def __init__(self, *args, profiles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles
        if profiles is not None and profiles.count() == 1:
            # One bank's settings: nothing to choose. With more, the clerk says which file it is.
            self.fields["profile"].empty_label = None

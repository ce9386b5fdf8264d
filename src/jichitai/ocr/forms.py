from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core import japanese
from jichitai.core.forms import JapaneseDateField
from jichitai.ocr.template import FIELD_TYPES

TYPE_LABELS = {
    "text": _("文字"),
    "kana": _("フリガナ"),
    "digits": _("数字"),
    "amount": _("金額"),
    "date": _("日付(和暦・西暦)"),
    "postal": _("郵便番号"),
    "phone": _("電話番号"),
    "checkbox": _("チェック欄"),
    "choice": _("○で囲む選択肢(はい・いいえ。選択肢の枠はテンプレート JSON の options で指定)"),
}


class TemplateForm(forms.Form):
    procedure = forms.ModelChoiceField(label=_("手続"), queryset=None)
    name = forms.CharField(label=_("様式名"), max_length=200, required=False)
    blank = forms.FileField(
        label=_("白紙の様式(PDF・PNG・JPEG・TIFF)"),
        help_text=_("記入前の様式。PDF は1ページ目を使います。"),
    )
    dpi = forms.IntegerField(label=_("解像度(dpi)"), min_value=100, max_value=600, initial=200)
    double_entry = forms.BooleanField(
        label=_("重要項目はベリファイ(別の職員が見ずに再入力)する"), required=False
    )
    definition = forms.FileField(
        label=_("テンプレート JSON(他団体と共有されたものを取り込む場合)"), required=False
    )

    def __init__(self, *args, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures


class FieldForm(forms.Form):
    name = forms.ChoiceField(label=_("手続のフォームの項目"))
    label = forms.CharField(label=_("表示名"), max_length=100, required=False)
    type = forms.ChoiceField(
        label=_("読取の種類"), choices=[(t, TYPE_LABELS[t]) for t in FIELD_TYPES]
    )
    x = forms.IntegerField(label=_("左端 x(ピクセル)"), min_value=0)
    y = forms.IntegerField(label=_("上端 y(ピクセル)"), min_value=0)
    width = forms.IntegerField(label=_("幅(ピクセル)"), min_value=8)
    height = forms.IntegerField(label=_("高さ(ピクセル)"), min_value=8)
    allowed = forms.CharField(
        label=_("使える文字(空欄なら種類の既定)"), max_length=500, required=False
    )
    critical = forms.BooleanField(label=_("重要項目(ベリファイの対象)"), required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = choices
        for name in ("x", "y", "width", "height"):
            self.fields[name].widget.attrs.update(
                {"inputmode": "numeric", "class": "ocr-coordinate"}
            )

    def as_data(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "label": data["label"],
            "type": data["type"],
            "box": [data["x"], data["y"], data["width"], data["height"]],
            "allowed": data["allowed"],
            "critical": data["critical"],
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


def shown_value(spec: dict, value) -> str:
    """A read or typed value as the clerk reads it: dates in 和暦 (read back by the same parser)."""
    if value is None:
        return ""
    if spec["type"] == "date" and isinstance(value, str):
        try:
            return japanese.format_wareki(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


class BatchForm(forms.Form):
    scans = MultipleFileField(label=_("スキャンしたファイル(複数選択可: PDF・TIFF・JPEG・PNG)"))
    received_on = JapaneseDateField(
        label=_("受付日"),
        initial=timezone.localdate,
        required=False,
        help_text=_(
            "紙を受け取った日(消印有効の郵送は消印の日)。受付期間内かはこの日で判断します。空欄なら今日です。"
        ),
    )


class PageForm(forms.Form):
    """One input per field: the value read (or typed before), to confirm or correct."""

    def __init__(self, *args, specs, initial_values, flagged=(), blind=False, **kwargs):
        super().__init__(*args, **kwargs)
        for spec in specs:
            name = spec["name"]
            value = None if blind else initial_values.get(name)
            if spec["type"] == "checkbox":
                field = forms.BooleanField(label=spec["label"] or name, required=False)
                field.initial = bool(value)
            else:
                field = forms.CharField(label=spec["label"] or name, required=False)
                field.initial = shown_value(spec, value)
                field.widget.attrs["autocomplete"] = "off"
            if name in flagged:
                if not any(f.widget.attrs.get("autofocus") for f in self.fields.values()):
                    field.widget.attrs["autofocus"] = True  # keyboard first: start where needed
                field.help_text = _(
                    "要確認: 読み取りの確信度が低いか、値の形式が正しくありません。"
                )
                field.widget.attrs["class"] = "ocr-flagged"
            self.fields[name] = field

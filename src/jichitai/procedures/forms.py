from decimal import Decimal

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from jichitai.core.forms import AmountField, JapaneseDateField, JapaneseDateTimeField
from jichitai.core.uploads import KINDS
from jichitai.procedures import expressions, repeats
from jichitai.procedures.definitions import NAME_PATTERN
from jichitai.procedures.field_type_names import field_type_name
from jichitai.procedures.fields import FieldSpec
from jichitai.procedures.models import Application, Procedure
from jichitai.procedures.registry import (
    field_types,
    payment_method_choices,
    signature_check_choices,
)

ATTACHMENT_KIND_CHOICES = [
    (name, KINDS[name].label)
    for name in ("pdf", "jpeg", "png", "tiff", "xlsx", "docx", "csv", "txt")
]


class ProcedureForm(forms.ModelForm):
    opens_at = JapaneseDateTimeField(
        label=_("受付開始"), required=False, help_text=_("空欄なら公開と同時に受付開始")
    )
    closes_at = JapaneseDateTimeField(
        label=_("受付終了"), required=False, help_text=_("空欄なら終了日なし")
    )
    attachment_kinds = forms.MultipleChoiceField(
        label=_("添付できる形式"),
        choices=ATTACHMENT_KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fee_amount = AmountField(
        label=_("手数料の額(円)"),
        unit="円",
        min_value=1,
        max_value=10_000_000,
        required=False,
        help_text=_(
            "例: 1,200。住民には、手続さがしと申請フォームの最初のページ、確認画面に表示されます。"
        ),
    )
    # With one signature check registered the choice is only whether a signature is needed.
    needs_signature = forms.BooleanField(
        label=_("電子署名が必要"),
        required=False,
        help_text=_("マイナンバーカードなどの電子証明書による署名付きで受け付けます。"),
    )

    class Meta:
        model = Procedure
        fields = [
            "name",
            "division",
            "category",
            "description",
            "online",
            "listed",
            "opens_at",
            "closes_at",
            "capacity",
            "one_per_email",
            "needs_signature",
            "signature_check",
            "identity",
            "fee_kind",
            "fee_amount",
            "payment_due_days",
            "payment_method",
            "attachment_kinds",
            "attachment_max_mb",
            "processing_days",
            "retention_years",
            "is_shared_template",
        ]

    def __init__(self, *args, divisions=None, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions
        self.fields["attachment_max_mb"].widget.attrs["max"] = 50
        self.initial.setdefault("needs_signature", self.instance.needs_signature)
        self._offer_choice("signature_check", signature_check_choices(), _("不要"))
        if "signature_check" in self.fields:
            del self.fields["needs_signature"]
        payment_methods = payment_method_choices()
        default = (
            _("既定(%(method)s)") % {"method": payment_methods[0][1]} if payment_methods else ""
        )
        self._offer_choice("payment_method", payment_methods, default)

    def _offer_choice(self, name: str, choices: list[tuple[str, str]], blank_label) -> None:
        """A plug-in field is a choice only when its registry offers more than one member."""
        if len(choices) > 1:
            self.fields[name].choices = [("", blank_label), *choices]
        else:
            del self.fields[name]

    def clean_attachment_max_mb(self):
        value = self.cleaned_data["attachment_max_mb"]
        if not 1 <= value <= 50:
            raise forms.ValidationError(_("1〜50 MB の範囲で指定してください。"))
        return value


FIELD_TYPE_CHOICES = [
    (name, lazy(field_type_name, str)(name)) for name, _field_type in field_types.items()
]


class FieldForm(forms.Form):
    """One question of the form, as the builder edits it."""

    label = forms.CharField(label=_("見出し"), max_length=200)
    name = forms.CharField(
        label=_("項目名(半角英数字)"),
        max_length=40,
        required=False,
        help_text=_("データの列名になります。空欄なら自動で付けます。例: participants"),
    )
    type = forms.ChoiceField(label=_("種類"), choices=FIELD_TYPE_CHOICES)
    help = forms.CharField(label=_("説明"), max_length=500, required=False)
    required = forms.BooleanField(label=_("必須"), required=False)
    choices = forms.CharField(
        label=_("選択肢(1行に1つ)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "単一選択・複数選択のときに入力します。保存される値と見出しを分けるときは「値|見出し」"
            "と書きます(例: yes|出席)。値を変えると、これまでの回答の値とは別の選択肢になります。"
        ),
    )
    show_if_field = forms.ChoiceField(label=_("表示条件: 前の項目"), required=False)
    show_if_values = forms.CharField(
        label=_("表示条件: 選ばれたとき(1行に1つ)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "指定した選択肢が選ばれたときだけ、この項目を表示します。ページ区切りでは、"
            "そのページ全体を表示します(選ばれないときはページを飛ばします)。"
        ),
    )
    relevant = forms.CharField(
        label=_("表示条件(式)"),
        max_length=500,
        required=False,
        help_text=_(
            "XLSForm の relevant と同じ書き方です。例: ${has_children} = 'yes'、"
            "${age} >= 65。ページ区切りでは前のページの項目だけを使えます。"
            "条件に合わないときはページを飛ばし、その回答は保存しません。"
        ),
    )
    max_length = forms.IntegerField(
        label=_("最大文字数"), required=False, min_value=1, max_value=4000
    )
    minimum = forms.IntegerField(label=_("最小値"), required=False)
    maximum = forms.IntegerField(label=_("最大値"), required=False)
    step = forms.DecimalField(
        label=_("きざみ"),
        required=False,
        min_value=Decimal("0.000001"),
        max_digits=12,
        decimal_places=6,
        help_text=_(
            "数値の項目で、最小値からこの数ずつの値だけを受け付けます(XLSForm の range の "
            "step)。例: 0.5"
        ),
    )
    children = forms.CharField(
        label=_("繰り返す項目(1行に1つ)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "種類が「繰返し」のときに入力します。「項目名|種類|見出し|必須|選択肢1,選択肢2」と"
            "書きます(例: child_name|text|氏名|必須、birth_date|date|生年月日|必須)。"
            "種類は text, textarea, number, date, email, phone, name, address, single_choice, "
            "multiple_choice, consent です。"
        ),
    )
    min_repeat = forms.IntegerField(
        label=_("繰返しの最小件数"), required=False, min_value=0, max_value=repeats.MAX_REPEAT
    )
    max_repeat = forms.IntegerField(
        label=_("繰返しの最大件数"), required=False, min_value=1, max_value=repeats.MAX_REPEAT
    )
    row_unit = forms.ChoiceField(
        label=_("繰返しの数え方(「2 人目」など)"),
        required=False,
        choices=[(unit, unit) for unit in repeats.ROW_UNITS],
    )

    def __init__(self, *args, earlier_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.earlier_names = {spec["name"] for spec in earlier_fields}
        self.fields["show_if_field"].choices = [("", _("(条件なし)"))] + [
            (spec["name"], spec["label"])
            for spec in earlier_fields
            if field_types.get(spec["type"]).has_choices
        ]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if name and not NAME_PATTERN.match(name):
            raise forms.ValidationError(
                _("半角英小文字で始まる英数字と _ (40文字以内)にしてください。")
            )
        return name

    def clean_relevant(self):
        relevant = self.cleaned_data["relevant"].strip()
        if relevant:
            try:
                names = expressions.references(relevant)
            except expressions.ExpressionError as error:
                raise forms.ValidationError(str(error)) from None
            # A page is asked or skipped on what the pages before it answered; other fields'
            # references are checked with the whole form when it is saved.
            later = names - self.earlier_names
            if self.data.get(self.add_prefix("type")) == "page" and later:
                raise forms.ValidationError(
                    _("ページの表示条件に使えるのは前のページの項目だけです(「%(names)s」)。"),
                    params={"names": "」「".join(sorted(later))},
                )
        return relevant

    def clean(self):
        data = super().clean()
        if data.get("type") == repeats.REPEAT:
            try:
                data["children"] = repeats.children_from_lines(
                    data.get("children", ""), self.initial.get("children_specs", [])
                )
            except ValueError as error:
                self.add_error("children", str(error))
            if (data.get("min_repeat") or 0) > (data.get("max_repeat") or repeats.MAX_REPEAT):
                self.add_error("min_repeat", _("最小件数は最大件数以下にしてください。"))
        return data

    def to_spec(self, taken_names: set[str], *, previous: FieldSpec | None = None) -> FieldSpec:
        """The question as edited. What this form does not show (conditions and messages from
        XLSForm, translations, a choice's filters and translations) is kept from ``previous``."""
        data = self.cleaned_data
        name = data["name"] or _free_name(taken_names)
        spec = {
            key: value
            for key, value in (previous or {}).items()
            if key not in {"choices", "show_if", *self.fields}
        }
        spec.update(
            {
                "name": name,
                "type": data["type"],
                "label": data["label"],
                "help": data["help"],
                "required": data["required"],
            }
        )
        if field_types.get(data["type"]).has_choices:
            kept = {choice["value"]: choice for choice in (previous or {}).get("choices", [])}
            spec["choices"] = []
            for line in data["choices"].splitlines():
                value, separator, label = line.partition("|")
                value, label = value.strip(), label.strip()
                if not value:
                    continue
                choice = {**kept.get(value, {}), "value": value, "label": label or value}
                if not separator and value in kept:
                    choice["label"] = kept[value]["label"]
                spec["choices"].append(choice)
        if data["relevant"]:
            spec["relevant"] = data["relevant"]
        if data["show_if_field"]:
            values = [line.strip() for line in data["show_if_values"].splitlines() if line.strip()]
            spec["show_if"] = {"field": data["show_if_field"], "values": values}
        for key in ("max_length", "minimum", "maximum"):
            if data.get(key) is not None:
                spec[key] = data[key]
        if data.get("step") is not None:
            step = data["step"]
            spec["step"] = int(step) if step == step.to_integral_value() else float(step)
        if data["type"] == repeats.REPEAT:
            spec["children"] = data["children"]
            spec["row_unit"] = data["row_unit"] or repeats.ROW_UNITS[0]
            for key in ("min_repeat", "max_repeat"):
                if data.get(key) is not None:
                    spec[key] = data[key]
        return spec

    @classmethod
    def initial_from(cls, spec: FieldSpec) -> dict:
        initial = {
            key: spec.get(key)
            for key in (
                "label",
                "name",
                "type",
                "help",
                "required",
                "max_length",
                "minimum",
                "maximum",
                "step",
                "min_repeat",
                "max_repeat",
                "row_unit",
                "relevant",
            )
        }
        initial["children"] = repeats.children_to_lines(spec.get("children", []))
        initial["children_specs"] = spec.get("children", [])
        initial["choices"] = "\n".join(
            choice["value"]
            if choice["value"] == choice["label"]
            else f"{choice['value']}|{choice['label']}"
            for choice in spec.get("choices", [])
        )
        if spec.get("show_if"):
            initial["show_if_field"] = spec["show_if"]["field"]
            initial["show_if_values"] = "\n".join(spec["show_if"]["values"])
        return initial


def _free_name(taken: set[str]) -> str:
    number = 1
    while f"field_{number}" in taken:
        number += 1
    return f"field_{number}"


class XLSFormUploadForm(forms.Form):
    workbook = forms.FileField(
        label=_("XLSForm 形式の Excel ファイル(.xlsx)"),
        help_text=_(
            "survey シートと choices シートを読み込みます。対応する書き方は「XLSForm の書き方」を参照してください。"
        ),
    )


# The inbox's views (tabs) and the columns it sorts by; the keys are what the URL carries.
INBOX_VIEWS = [
    ("", _("すべて")),
    ("mine", _("自分の担当")),
    ("unassigned", _("未割当")),
    ("overdue", _("期限超過")),
]
INBOX_SORTS = [
    "receipt",
    "procedure",
    "applicant",
    "submitted",
    "due",
    "channel",
    "status",
    "assignee",
]


class InboxFilterForm(forms.Form):
    view = forms.ChoiceField(
        label=_("表示"), required=False, choices=INBOX_VIEWS, widget=forms.HiddenInput
    )
    sort = forms.ChoiceField(
        label=_("並べ替え"),
        required=False,
        choices=[(key, key) for name in INBOX_SORTS for key in (name, f"-{name}")],
        widget=forms.HiddenInput,
    )
    procedure = forms.ModelChoiceField(
        label=_("手続"), queryset=Procedure.objects.none(), required=False, empty_label=_("すべて")
    )
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *Application.Status.choices]
    )
    since = JapaneseDateField(label=_("受付日(から)"), required=False)
    until = JapaneseDateField(label=_("受付日(まで)"), required=False)
    text = forms.CharField(
        label=_("キーワード"), required=False, help_text=_("受付番号・氏名・申請内容")
    )

    def __init__(self, *args, procedures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("新しい状態"))
    message = forms.CharField(
        label=_("申請者へのメッセージ"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("メールで申請者に届きます。差戻しのときは修正してほしい点を書いてください。"),
    )

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s.value, s.label) for s in allowed]


class BulkStatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("選んだ申請をまとめて"),
        choices=[
            (Application.Status.APPROVED, _("承認")),
            (Application.Status.COMPLETED, _("完了")),
            (Application.Status.REVIEWING, _("審査中")),
            (Application.Status.REJECTED, _("却下")),
        ],
    )
    message = forms.CharField(
        label=_("申請者へのメッセージ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("内部メモ(申請者には見えません)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("担当者"), queryset=None, required=False, empty_label=_("(未割当)")
    )

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff


class PurgeForm(forms.Form):
    reason = forms.CharField(
        label=_("削除の理由"),
        max_length=200,
        error_messages={"required": _("削除の理由を入力してください。")},
    )
    confirm = forms.BooleanField(
        label=_("申請内容・添付ファイル・電子署名を削除します(元に戻せません)"),
        error_messages={"required": _("削除する場合は確認のチェックを入れてください。")},
    )


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("メールアドレス"),
        error_messages={
            "invalid": _("メールアドレスの形式が正しくありません。例: taro@example.jp"),
            "required": _("メールアドレスを入力してください。"),
        },
    )


class DraftEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("再開用のメールアドレス"),
        error_messages={
            "invalid": _("メールアドレスの形式が正しくありません。例: taro@example.jp"),
            "required": _("再開用のメールアドレスを入力してください。"),
        },
    )


class ClosedDayForm(forms.Form):
    date = JapaneseDateField(
        label=_("日付"), help_text=_("和暦でも入力できます(例: 令和9年1月5日)")
    )
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("例: 庁舎移転のため閉庁"))

from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.collaboration.models import AdoptionState, Initiative, Measure
from jichitai.core.forms import FiscalYearField, JapaneseDateField


class AdoptionForm(forms.Form):
    """One select per measure: the 市町's state in the 年度."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for measure, label in Measure.choices:
            self.fields[measure] = forms.ChoiceField(
                label=label,
                choices=[("", _("未登録")), *AdoptionState.choices],
                required=False,
            )

    def show_recorded_use(self, lines: dict[str, str]) -> None:
        """Put what the platform records of each measure's use (``peers.recorded_use``) under
        its select, for the clerk who decides the state."""
        for measure, line in lines.items():
            self.fields[measure].help_text = line

    def states_in_words(self) -> list[tuple[str, str]]:
        """(measure, state) as people read them, for those who may look but not change."""
        return [(field.label, dict(field.field.choices)[field.value() or ""]) for field in self]


class SurveyAnswerForm(forms.Form):
    """The survey procedure's questions (choices and free text), answered for the 市町."""

    def __init__(self, *args, fields: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for field in fields:
            choices = [(choice["value"], choice["label"]) for choice in field.get("choices", [])]
            required = bool(field.get("required"))
            if field.get("type") == "multiple_choice":
                self.fields[field["name"]] = forms.MultipleChoiceField(
                    label=field["label"],
                    choices=choices,
                    required=required,
                    widget=forms.CheckboxSelectMultiple,
                )
            elif choices:
                self.fields[field["name"]] = forms.ChoiceField(
                    label=field["label"],
                    choices=choices,
                    required=required,
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[field["name"]] = forms.CharField(
                    label=field["label"], required=required, widget=forms.Textarea
                )


class InitiativeForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    slug = forms.SlugField(
        label=_("識別子"),
        max_length=80,
        help_text=_("半角英数字とハイフン。計画の文中で数値を引用するときに使います。"),
    )
    kind = forms.ChoiceField(label=_("種類"), choices=Initiative.Kind.choices)
    fiscal_year = FiscalYearField(label=_("年度"))
    description = forms.CharField(label=_("概要"), required=False, widget=forms.Textarea)


class SessionForm(forms.Form):
    date = JapaneseDateField(label=_("開催日"))
    title = forms.CharField(label=_("回"), max_length=50, help_text=_("例: 第1回"))
    agenda = forms.CharField(
        label=_("議題(1行に1つ)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_agenda(self):
        return [line.strip() for line in self.cleaned_data["agenda"].splitlines() if line.strip()]


class ParticipationForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("市町"), queryset=None)
    session = forms.ModelChoiceField(
        label=_("回(会議のとき)"), queryset=None, required=False, empty_label=_("(回を問わない)")
    )
    staff_count = forms.IntegerField(label=_("参加人数"), min_value=1, max_value=999, initial=1)

    def __init__(self, *args, municipalities, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["session"].queryset = sessions


class MaterialForm(forms.Form):
    file = forms.FileField(
        label=_("資料ファイル"),
        help_text=_("PDF・Word・Excel・画像・CSV・テキスト、20MBまで"),
    )

from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.collaboration.models import AdoptionState, Measure


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

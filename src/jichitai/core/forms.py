"""Form fields for Japanese input, shared by every app's forms."""

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jichitai.core import japanese
from jichitai.core.templatetags.japanese import nendo


class JapaneseDateField(forms.DateField):
    """A date typed in 和暦 or 西暦 (令和6年4月1日, R6.4.1, 2024-04-01); shown back as typed on errors."""

    widget = forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off"})

    def to_python(self, value: str | date | None) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        try:
            return japanese.parse_date(str(value))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None

    def prepare_value(self, value: str | date | None) -> str | None:
        if isinstance(value, date):
            return japanese.format_wareki(value)
        return value


class FiscalYearField(forms.IntegerField):
    """A 年度 typed as 令和8年度, R8 or 2026; shown as 令和8年度 (FY2026 in English)."""

    widget = forms.TextInput(attrs={"autocomplete": "off"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault("help_text", _("例: 令和8年度、R8、2026"))
        super().__init__(**kwargs)

    def to_python(self, value: str | int | None) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        try:
            return japanese.parse_fiscal_year(str(value))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None

    def prepare_value(self, value: str | int | None) -> str | None:
        if isinstance(value, int):
            return nendo(value)
        return value


class LabelledSplitDateTimeWidget(forms.SplitDateTimeWidget):
    """The date box and the time box, each with its own label (日付, 時刻) rather than only an
    example that vanishes once typing starts."""

    template_name = "core/forms/split_datetime.html"

    def __init__(self) -> None:
        # Lazy texts, read in the language of the page that shows them.
        date_attrs: dict[str, Any] = {"placeholder": _("例: 令和8年4月1日"), "inputmode": "text"}
        time_attrs: dict[str, Any] = {"placeholder": _("例: 09:00"), "inputmode": "numeric"}
        super().__init__(date_attrs=date_attrs, time_attrs=time_attrs)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(date_label=_("日付"), time_label=_("時刻"))
        return context


class JapaneseDateTimeField(forms.MultiValueField):
    """A date typed in 和暦 or 西暦 plus a time (HH:MM), in the site's time zone. Both or
    neither: a date without its time is refused, not dropped."""

    default_error_messages = {"incomplete": _("日付と時刻の両方を入力してください。")}

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            JapaneseDateField(),
            forms.TimeField(
                input_formats=["%H:%M", "%H時%M分", "%H:%M:%S"],
                error_messages={"invalid": _("時刻は 09:00 のように入力してください。")},
            ),
        )
        super().__init__(
            fields, widget=LabelledSplitDateTimeWidget(), require_all_fields=False, **kwargs
        )

    def compress(self, data_list: list[Any]) -> datetime | None:
        if not data_list or data_list[0] is None or data_list[1] is None:
            return None
        return timezone.make_aware(datetime.combine(data_list[0], data_list[1]))


class AmountField(forms.IntegerField):
    """A whole amount as people type it: 3,200, ３，２００ or 3200円 (``unit``, typed after it or
    not); a text box, since a number box drops the comma Japanese amounts are written with."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def __init__(self, *, unit: str = "", **kwargs: Any) -> None:
        self.unit = unit
        super().__init__(**kwargs)
        if self.max_value is not None and "max_value" not in kwargs.get("error_messages", {}):
            # Django's own words show the limit without its commas (10000000).
            self.error_messages["max_value"] = format_lazy(
                _("金額が大きすぎます。{limit} 以下で入力してください。"),
                limit=f"{self.max_value:,}",
            )

    def to_python(self, value: str | int | None) -> int | None:
        if isinstance(value, str):
            value = japanese.normalize_width(value).replace(",", "").strip()
            value = value.removesuffix(self.unit).strip() if self.unit else value
        return super().to_python(value)

    def prepare_value(self, value: str | int | None) -> str | int | None:
        """A saved amount comes back as staff write it, 64,370 rather than 64370."""
        return f"{value:,}" if isinstance(value, int) else value


class LocalGovernmentCodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault("min_length", 6)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value: str | None) -> str:
        code: str = super().clean(value)
        try:
            return japanese.validate_local_government_code(code)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Shows a service's ``ValidationError`` on the form: field errors next to their field, the rest
    at the top. The person's input stays in the form."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


class FormRenderer(TemplatesSetting):
    """Every form renders with a label, a 必須 marker, help text and its error next to the field
    (linked by aria-describedby), and an error summary announced at the top."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"

    # Django's own widget templates, replaced where they show a code instead of words: the empty
    # choice of a select reads 「選択してください」, not "---------".
    replaced_templates = {
        "django/forms/widgets/select.html": "core/forms/select.html",
    }

    def get_template(self, template_name: str) -> Any:
        return super().get_template(self.replaced_templates.get(template_name, template_name))

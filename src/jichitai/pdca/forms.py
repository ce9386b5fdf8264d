from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.core import japanese
from jichitai.core.forms import AmountField, FiscalYearField
from jichitai.core.registry import metrics
from jichitai.pdca.models import Indicator, Plan


class FigureField(forms.CharField):
    """A figure as staff type it: 22,400 or ２２４００ or 10.5; stored as a Decimal."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "30"})

    def to_python(self, value):
        text = (
            japanese.normalize_width(super().to_python(value) or "")
            .replace(",", "")
            .replace("%", "")
            .strip()
        )
        if not text:
            return None
        if len(text) > 30:
            raise forms.ValidationError(_("数値が長すぎます。"))
        try:
            return Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(_("数値で入力してください(例: 22400、10.5)。")) from None

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return value


class IndicatorYearForm(forms.Form):
    target = FigureField(label=_("目標値"), required=False)
    actual = FigureField(label=_("実績値"), required=False)
    rationale = forms.CharField(
        label=_("目標値の考え方"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    override = forms.ChoiceField(
        label=_("達成状況(手動で決める場合)"),
        required=False,
        choices=[("", _("自動(達成率で判定)")), ("achieved", _("達成")), ("missed", _("未達成"))],
    )
    override_comment = forms.CharField(label=_("手動で決めた理由"), required=False, max_length=300)


class MetricBindingForm(forms.Form):
    """The live metric an indicator is measured from, and each metric's conditions (fields named
    ``<metric>__<parameter>``); unbound, it opens with ``indicator``'s binding as saved."""

    metric_name = forms.ChoiceField(label=_("自動計測する指標"), required=False)

    def __init__(self, *args, organization=None, indicator=None, **kwargs):
        if indicator is not None and indicator.metric_name:
            kwargs["initial"] = {
                "metric_name": indicator.metric_name,
                **{
                    f"{indicator.metric_name}__{name}": "、".join(value)
                    if name == "answers" and isinstance(value, list)
                    else value
                    for name, value in indicator.metric_parameters.items()
                },
            }
        super().__init__(*args, **kwargs)
        self.fields["metric_name"].choices = [("", _("(手入力)"))] + [
            (name, metric.label) for name, metric in metrics.items()
        ]
        for name, metric in metrics.items():
            for parameter in metric.parameters:
                key = f"{name}__{parameter.name}"
                if parameter.choices is not None and organization is not None:
                    field = (
                        # Boxes to tick, not a list box: one needs no Ctrl-click on a
                        # desktop and no picker on a phone, and every choice stays in view.
                        forms.MultipleChoiceField(
                            label=parameter.label,
                            required=False,
                            choices=parameter.choices(organization),
                            widget=forms.CheckboxSelectMultiple,
                        )
                        if parameter.name.endswith("_ids")
                        else forms.ChoiceField(
                            label=parameter.label,
                            required=False,
                            choices=[("", "—"), *parameter.choices(organization)],
                        )
                    )
                else:
                    field = forms.CharField(
                        label=parameter.label,
                        required=False,
                        help_text=_("複数の場合は「、」で区切ります。")
                        if parameter.name == "answers"
                        else "",
                    )
                self.fields[key] = field

    def parameter_groups(self) -> list[dict]:
        """Each metric with what it counts and its conditions, grouped under its name."""
        return [
            {
                "name": name,
                "label": metric.label,
                "description": metric.description,
                "fields": [self[f"{name}__{parameter.name}"] for parameter in metric.parameters],
            }
            for name, metric in metrics.items()
        ]

    def parameters(self) -> dict:
        name = self.cleaned_data["metric_name"]
        if not name:
            return {}
        values = {}
        for parameter in metrics.get(name).parameters:
            value = self.cleaned_data.get(f"{name}__{parameter.name}")
            if parameter.name == "answers" and isinstance(value, str):
                value = [
                    item.strip() for item in value.replace(",", "、").split("、") if item.strip()
                ]
            if parameter.name == "procedure_id" and value:
                value = int(value)
            values[parameter.name] = value
        return values


class ActionYearForm(forms.Form):
    schedule = forms.CharField(
        label=_("スケジュール"),
        required=False,
        max_length=100,
        help_text=_("検討、研究、実施、順次実施、構築、運用 など"),
    )
    status_text = forms.CharField(
        label=_("取組状況"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    progress = forms.IntegerField(
        label=_("進捗率(%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("計画期間を通じた取組の進み具合(0〜100)。公開ページに表示します。"),
    )


class ThousandYenField(AmountField):
    """An amount in 千円 as staff type it: 64,370 or ６４３７０; a whole number, 0 or more."""

    def __init__(self, **kwargs):
        message = _("千円単位の0以上の整数で入力してください(例: 64370)。")
        # Beyond any budget: most likely typed in 円.
        too_large = _("金額が大きすぎます。千円単位で入力してください(例: 64370)。")
        kwargs.setdefault(
            "error_messages", {"invalid": message, "min_value": message, "max_value": too_large}
        )
        super().__init__(unit="千円", min_value=0, max_value=10**15 - 1, **kwargs)


class ExecutedBudgetsForm(forms.Form):
    """The executed amount (千円) of each project with a budget row in a 年度."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            budget = "－" if row.budget is None else f"{row.budget:,}"
            self.fields[f"executed_{row.pk}"] = ThousandYenField(
                label=row.project.name,
                required=False,
                initial=row.executed,
                help_text=_("予算額 %(budget)s 千円%(group)s")
                % {
                    "budget": budget,
                    "group": f"({row.project.group})" if row.project.group else "",
                },
            )

    def amounts(self) -> dict[int, int | None]:
        return {row.pk: self.cleaned_data[f"executed_{row.pk}"] for row in self.rows}


class WorkbookForm(forms.Form):
    workbook = forms.FileField(
        label=_("編集した Excel を取り込む"),
        error_messages={"required": _("Excel ファイルを選んでください。")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class PlanCreateForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    slug = forms.SlugField(
        label=_("識別子"), max_length=80, help_text=_("半角英数字とハイフン(例: dx-plan)")
    )
    kind = forms.ChoiceField(label=_("種類"), choices=Plan.Kind.choices)
    first_year = FiscalYearField(label=_("計画期間(初年度)"))
    last_year = FiscalYearField(label=_("計画期間(最終年度)"))
    copy_from = forms.ModelChoiceField(
        label=_("構成をコピーする計画"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("(コピーしない)"),
        help_text=_(
            "取組・指標・事業の構成だけをコピーします。数値・取組状況・予算はコピーしません。"
        ),
    )

    def __init__(self, *args, copyable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = copyable
        self.fields["copy_from"].label_from_instance = lambda plan: (
            f"{plan.organization.name}: {plan.name}"
        )


class NodeForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    summary = forms.CharField(
        label=_("概要"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("目標項目"), max_length=200)
    kind = forms.ChoiceField(label=_("種類"), choices=Indicator.Kind.choices)
    unit = forms.CharField(label=_("単位"), max_length=20, help_text=_("例: 件、%、所属"))
    decimals = forms.IntegerField(label=_("小数点以下の桁数"), min_value=0, max_value=3, initial=0)
    direction = forms.ChoiceField(label=_("目標の方向"), choices=Indicator.Direction.choices)
    description = forms.CharField(
        label=_("目標項目の説明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    baseline_year = FiscalYearField(label=_("現状値の年度"), required=False)
    baseline_value = FigureField(label=_("現状値"), required=False)


class ActionForm(forms.Form):
    node = forms.ModelChoiceField(queryset=None)
    title = forms.CharField(label=_("取組内容"), max_length=300)
    division_name = forms.CharField(label=_("担当課"), max_length=100)
    category = forms.ChoiceField(label=_("区分"))

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = plan.category_choices()
        levels = plan.nodes.filter(parent__isnull=True)
        self.fields["node"].queryset = levels
        self.fields["node"].label = plan.level_name
        if len(levels) == 1:  # nothing to choose
            self.fields["node"].initial = levels[0].pk


class PlanDeleteForm(forms.Form):
    """Deleting is confirmed by typing the plan's name, so that no plan goes by a slip of the
    mouse."""

    name = forms.CharField(label=_("削除する計画の名称"), max_length=200)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["name"].help_text = _(
            "確認のため、計画の名称「%(name)s」を入力してください。"
        ) % {"name": plan.name}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if name != self.plan.name:
            raise forms.ValidationError(_("計画の名称が一致しません。"))
        return name

"""Reads of plans, computed figures (achievement, live metrics, staleness) and the data of the two
reports, which a published snapshot freezes."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone, translation

from jichitai.core import japanese
from jichitai.core.registry import metrics
from jichitai.pdca import budgets, figures
from jichitai.pdca.indicators import (
    bound_metric,
    chart_points,
    indicator_rows,
    indicator_summaries,  # noqa: F401  (the views read it through the selectors)
    live_since,
    unset_conditions,  # noqa: F401
)
from jichitai.pdca.models import (
    Action,
    ActionYear,
    EffectFigure,
    ImportBatch,
    Indicator,
    IndicatorYear,
    Meeting,
    Node,
    Plan,
    PlanYearText,
    ProjectYear,
    ReportSnapshot,
    YearLock,
)
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import for_tenant, tenant_get


def plans_of(organization: Organization) -> QuerySet[Plan]:
    return for_tenant(Plan, organization).select_related("owner_division")


def plan_of(organization: Organization, plan_id: int) -> Plan:
    return tenant_get(plans_of(organization), organization, pk=plan_id)


def plan_by_reference(reference: str, organization: Organization | None = None) -> Plan:
    """A plan by id or slug (for the command line). A slug used by several organizations needs
    the organization."""
    plans = Plan.objects.all() if organization is None else for_tenant(Plan, organization)
    found = (
        list(plans.filter(pk=int(reference)))
        if reference.isdigit()
        else list(plans.filter(slug=reference))
    )
    if len(found) != 1:
        raise Http404
    return found[0]


def indicator_of(plan: Plan, indicator_id: int) -> Indicator:
    try:
        return plan.indicators.get(pk=indicator_id)
    except (Indicator.DoesNotExist, ValueError):
        raise Http404 from None


def action_of(plan: Plan, action_id: int) -> Action:
    try:
        return plan.actions.get(pk=action_id)
    except (Action.DoesNotExist, ValueError):
        raise Http404 from None


def locked_years(plan: Plan) -> set[int]:
    return set(YearLock.objects.filter(plan=plan).values_list("fiscal_year", flat=True))


def is_locked(plan: Plan, fiscal_year: int) -> bool:
    return YearLock.objects.filter(plan=plan, fiscal_year=fiscal_year).exists()


def top_nodes(plan: Plan) -> QuerySet[Node]:
    """The plan's first level (施策・取組) with their actions."""
    return plan.nodes.filter(parent__isnull=True).prefetch_related("actions")


def node_of(plan: Plan, node_id: int) -> Node:
    try:
        return plan.nodes.get(pk=node_id)
    except (Node.DoesNotExist, ValueError):
        raise Http404 from None


def has_levels(plan: Plan) -> bool:
    """Whether the plan has a first level to put an action under."""
    return plan.nodes.filter(parent__isnull=True).exists()


def project_fiscal_years(plan: Plan) -> list[int]:
    """Every 年度 with rows counted in the plan's budget (executed amounts are entered there)."""
    years = set(
        ProjectYear.objects.filter(project__plan=plan).values_list("fiscal_year", flat=True)
    )
    return [year for year in sorted(years) if budgets.counted_rows(plan, year).exists()]


def indicator_years_by_year(indicator: Indicator) -> dict[int, IndicatorYear]:
    return {row.fiscal_year: row for row in indicator.years.all()}


def action_years_by_year(action: Action) -> dict[int, ActionYear]:
    return {row.fiscal_year: row for row in action.years.all()}


def import_batch_of(organization: Organization, plan: Plan, import_id: int) -> ImportBatch:
    return tenant_get(ImportBatch.objects.filter(plan=plan), organization, pk=import_id)


def binding_conditions(indicator: Indicator) -> list[tuple[str, str]]:
    """The conditions a live indicator is measured with, as (condition, value) in words: a chosen
    procedure by its name, not its number."""
    metric = bound_metric(indicator)
    if metric is None:
        return []
    shown = []
    for parameter in metric.parameters:
        value = indicator.metric_parameters.get(parameter.name)
        if value in (None, "", []):
            continue
        values = value if isinstance(value, list) else [value]
        names = (
            dict(parameter.choices(indicator.plan.organization))
            if parameter.choices is not None
            else {}
        )
        text = "、".join(str(names.get(str(item), item)) for item in values)
        shown.append((str(parameter.label), text))
    return shown


def is_stale(indicator: Indicator) -> bool:
    return any(row["stale"] for row in indicator_rows(indicator, live=False))


def stale_indicators(organization: Organization) -> tuple[list[Plan], list[tuple[Plan, Indicator]]]:
    """The organization's plans, and each (plan, indicator) whose figure for a past 年度 is due."""
    plans = list(plans_of(organization).prefetch_related("indicators__years"))
    stale = [
        (plan, indicator)
        for plan in plans
        for indicator in plan.indicators.all()
        if is_stale(indicator)
    ]
    return plans, stale


# --- Report data -----------------------------------------------------------------------------------


def _baseline(indicator: Indicator) -> dict:
    year = indicator.baseline_year
    label = ""
    if year is not None:
        label = japanese.fiscal_year_label(year)
    value = indicator.baseline_value
    return {
        "year": year,
        "label": label,
        "text": figures.with_unit(value, indicator.unit, indicator.decimals) or "-",
        "value": _plain_number(value),
    }


NO_DATA_NOTE = "「－」は、自動計測の元になるデータがプラットフォームに記録されていない年度です。"


def _actual_text(row: dict) -> str:
    return figures.NO_DATA if row["no_data"] else row["actual_text"]


def _plain_number(value: Decimal | None) -> int | float | None:
    """A figure as JSON keeps it in a frozen report: an int, a float or None."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _rounded(value: Decimal | None, decimals: int) -> int | float | None:
    """A figure rounded as the report prints it, as a number for a spreadsheet cell."""
    if value is None:
        return None
    return _plain_number(
        Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    )


def _heading(plan: Plan, dated: date | None) -> dict:
    """The lines above a report's title, as in the seed documents: its date (令和4年5月30日) and
    the 所属 issuing it (the plan's owning division)."""
    return {
        "dated": japanese.format_wareki(dated or timezone.localdate()),
        "division": plan.owner_division.name if plan.owner_division else "",
    }


def evaluation_data(plan: Plan, fiscal_year: int, dated: date | None = None) -> dict:
    """Everything the evaluation sheet (施策評価表) of ``fiscal_year`` shows, as plain data;
    ``dated`` is the day printed at its top (today unless given)."""
    indicators = []
    for indicator in plan.indicators.prefetch_related("years"):
        rows = indicator_rows(indicator)
        current = next((row for row in rows if row["fiscal_year"] == fiscal_year), None)
        metric = bound_metric(indicator)
        since = live_since(indicator) if metric else None
        indicators.append(
            {
                "kind": indicator.kind,
                "name": indicator.name,
                "unit": indicator.unit,
                "description": indicator.description,
                "rationale": current["rationale"] if current else "",
                "baseline": _baseline(indicator),
                "years": [
                    {
                        "fiscal_year": row["fiscal_year"],
                        "label": row["label"],
                        "target": row["target_text"],
                        "actual": _actual_text(row) if row["fiscal_year"] <= fiscal_year else "",
                        "target_value": _plain_number(row["target"]),
                        "actual_value": _plain_number(row["actual"])
                        if row["fiscal_year"] <= fiscal_year
                        else None,
                        "achievement": row["achievement"].label
                        if row["fiscal_year"] < fiscal_year
                        else "",
                        "rate": row["achievement"].rate_text
                        if row["fiscal_year"] < fiscal_year
                        else "",
                        "measured": row["measured"],
                    }
                    for row in rows
                ],
                "chart": chart_points(rows, until=fiscal_year),
                "decimals": indicator.decimals,
                "live": {
                    "metric": str(metric.label),
                    "since": japanese.format_wareki(since) if since else "",
                }
                if metric
                else None,
                "no_data_note": NO_DATA_NOTE
                if any(row["no_data"] and row["fiscal_year"] <= fiscal_year for row in rows)
                else "",
            }
        )
    text = PlanYearText.objects.filter(plan=plan, fiscal_year=fiscal_year).first()
    projects = []
    for project in plan.projects.prefetch_related("years"):
        years = {row.fiscal_year: row for row in project.years.all()}
        this_year = years.get(fiscal_year)
        if this_year is None or not this_year.main:
            continue
        previous = years.get(fiscal_year - 1)
        projects.append(
            {
                "flag": project.flag,
                "name": project.name,
                "department": project.department,
                "code": project.code,
                "code_name": project.code_name,
                "previous_label": japanese.fiscal_year_label(
                    fiscal_year - 1, style="short"
                ).replace("年度", ""),
                "current_label": japanese.fiscal_year_label(fiscal_year, style="short").replace(
                    "年度", ""
                ),
                "previous_budget": figures.budget_text(previous.budget if previous else None),
                "budget": figures.budget_text(this_year.budget),
                "previous_budget_value": previous.budget if previous else None,
                "budget_value": this_year.budget,
                "summary": this_year.summary,
            }
        )
    return {
        "kind": "evaluation",
        **_heading(plan, dated),
        "plan": {
            "name": plan.name,
            "department": plan.department,
            "goal": plan.goal,
            "last_year_label": japanese.fiscal_year_label(plan.last_year),
        },
        "organization": plan.organization.name,
        "fiscal_year": fiscal_year,
        "fiscal_year_label": japanese.fiscal_year_label(fiscal_year),
        "year_labels": [japanese.fiscal_year_label(year) for year in plan.fiscal_years],
        "indicators": indicators,
        "issues_heading": text.issues_heading if text else "現状と課題",
        "issues": text.issues if text else [],
        "direction_heading": text.direction_heading
        if text
        else f"{japanese.fiscal_year_label(fiscal_year)}の取組方向",
        "direction": text.direction if text else [],
        "projects": projects,
    }


def effect_data(effect: EffectFigure) -> dict:
    data = {
        "title": effect.title,
        "kind": effect.kind,
        "measure": effect.measure,
        "unit": effect.unit,
        "note": effect.note,
        "items": effect.items,
    }
    before, after = effect.before, effect.after
    if effect.source_metric and effect.source_metric in metrics:
        measured = metrics.get(effect.source_metric).compute(
            effect.plan.organization, effect.fiscal_year
        )
        if measured and isinstance(measured, dict):
            before, after = Decimal(measured["before"]), Decimal(measured["after"])
    if effect.kind == EffectFigure.Kind.BEFORE_AFTER:
        cut, percent = figures.reduction(before, after)
        data.update(
            before_label=effect.before_label,
            after_label=effect.after_label,
            before=figures.number_text(before),
            after=figures.number_text(after),
            reduction=figures.number_text(cut),
            percent=figures.number_text(percent, effect.percent_decimals),
            before_value=_rounded(before, 0),
            after_value=_rounded(after, 0),
            reduction_value=_rounded(cut, 0),
            percent_value=_rounded(percent, effect.percent_decimals),
        )
    else:
        share = (
            effect.part * 100 / effect.whole
            if effect.part is not None and effect.whole is not None
            else None
        )
        data.update(
            part=figures.number_text(effect.part),
            whole=figures.number_text(effect.whole),
            percent=figures.number_text(share, effect.percent_decimals),
            part_value=_rounded(effect.part, 0),
            whole_value=_rounded(effect.whole, 0),
            percent_value=_rounded(share, effect.percent_decimals),
        )
    return data


def progress_data(plan: Plan, fiscal_year: int, dated: date | None = None) -> dict:
    """Everything the progress report (進捗報告) of ``fiscal_year`` shows, as plain data;
    ``dated`` is the day printed at its top (today unless given)."""
    years = plan.fiscal_years
    nodes = plan.nodes.filter(parent__isnull=True).prefetch_related(
        Prefetch("actions", queryset=Action.objects.prefetch_related("years").order_by("number")),
        "reprinted_actions__years",
        "effects",
    )
    initiatives = []
    for node in nodes:
        sections = []
        for category, label in plan.category_choices():
            actions = [action for action in node.actions.all() if action.category == category]
            reprints = [
                action for action in node.reprinted_actions.all() if action.category == category
            ]
            rows = [_action_row(action, years, fiscal_year, plan) for action in actions] + [
                {**_action_row(action, years, fiscal_year, plan), "reprint": True}
                for action in reprints
            ]
            if rows:
                sections.append({"label": str(label), "actions": rows})
        initiatives.append(
            {
                "number": node.number,
                "title": node.title,
                "summary": node.summary,
                "highlights": node.highlights,
                "sections": sections,
                "effects": [
                    effect_data(effect) for effect in node.effects.filter(fiscal_year=fiscal_year)
                ],
            }
        )
    return {
        "kind": "progress",
        **_heading(plan, dated),
        "plan": {"name": plan.name, "description": plan.description, "level_name": plan.level_name},
        "organization": plan.organization.name,
        "fiscal_year": fiscal_year,
        "fiscal_year_label": japanese.fiscal_year_label(fiscal_year),
        "year_labels": [
            japanese.fiscal_year_label(year, style="short").replace("年度", "") for year in years
        ],
        "initiatives": initiatives,
    }


def _action_row(action: Action, years: list[int], fiscal_year: int, plan: Plan) -> dict:
    by_year = {row.fiscal_year: row for row in action.years.all()}
    status = by_year.get(fiscal_year)
    return {
        "number": action.number,
        "policies": action.policies,
        "title": action.title,
        "division": action.division_name,
        "schedule": [by_year[year].schedule if year in by_year else "" for year in years],
        "status": figures.expand_figures(status.status_text, plan.organization, fiscal_year)
        if status
        else "",
    }


def report_data(plan: Plan, kind: str, fiscal_year: int, dated: date | None = None) -> dict:
    """The report's data in Japanese, the language of the official report, whatever the language
    of the page that asked for it (a snapshot keeps it as published)."""
    with translation.override("ja"):
        return (
            evaluation_data(plan, fiscal_year, dated)
            if kind == ReportSnapshot.Kind.EVALUATION
            else progress_data(plan, fiscal_year, dated)
        )


def latest_snapshot(plan: Plan, kind: str, fiscal_year: int) -> ReportSnapshot | None:
    return plan.snapshots.filter(kind=kind, fiscal_year=fiscal_year).first()


def snapshots_of(plan: Plan) -> QuerySet[ReportSnapshot]:
    return plan.snapshots.select_related("published_by")


def snapshot_of(plan: Plan, snapshot_id: int) -> ReportSnapshot:
    try:
        return plan.snapshots.get(pk=snapshot_id)
    except (ReportSnapshot.DoesNotExist, ValueError):
        raise Http404 from None


def meetings_of(organization: Organization) -> QuerySet[Meeting]:
    return for_tenant(Meeting, organization).prefetch_related("sessions", "participants")


def meeting_summaries(organization: Organization) -> list[dict[str, Any]]:
    """Each meeting with its linked survey's respondents and the share of positive answers in the
    survey's latest 年度 (None without a survey or answers)."""
    from jichitai.procedures.selectors import answer_share

    summaries = []
    for meeting in meetings_of(organization):
        share = None
        respondents = 0
        if meeting.survey is not None:
            respondents = meeting.survey.applications.exclude(status="withdrawn").count()
            years = set(meeting.survey.applications.values_list("fiscal_year", flat=True))
            share = (
                answer_share(
                    organization,
                    max(years),
                    procedure_id=meeting.survey.pk,
                    question=meeting.survey_question,
                    answers=meeting.survey_positive_answers,
                )
                if years
                else None
            )
        summaries.append(
            {
                "meeting": meeting,
                "share": share,
                "respondents": respondents,
                "positive": round(share * respondents / 100) if share is not None else None,
            }
        )
    return summaries

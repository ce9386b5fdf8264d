"""Reads for the public plan pages (``/o/<code>/plans/<slug>/``): a plan is public once one of its
reports has been published; its actions with status, progress and schedule per 年度, indicators
with targets and actuals (live ones marked), and budgets planned vs executed."""

from django.db.models import Count, QuerySet
from django.http import Http404

from jichitai.core import japanese
from jichitai.pdca import budgets, figures
from jichitai.pdca.indicators import bound_metric, chart_points, indicator_rows
from jichitai.pdca.models import Plan
from jichitai.tenancy.selectors import for_tenant


def published_plans(organization) -> QuerySet[Plan]:
    return for_tenant(Plan, organization).filter(snapshots__isnull=False).distinct()


def plan_summaries(organization) -> list[dict]:
    """What the list of public plans says of each: who runs it, its period and goal, how many
    actions and indicators it has, their average progress and its latest published report."""
    plans = published_plans(organization).prefetch_related("actions__years", "snapshots")
    summaries = []
    for plan in plans.annotate(indicator_count=Count("indicators", distinct=True)):
        years = plan.fiscal_years
        actions = list(plan.actions.all())
        latest = plan.snapshots.all()[0]
        summaries.append(
            {
                "name": plan.name,
                "slug": plan.slug,
                "department": plan.department,
                "goal": plan.goal,
                "first_year": years[0] if years else None,
                "last_year": years[-1] if years else None,
                "action_count": len(actions),
                "indicator_count": plan.indicator_count,
                "progress": _average([_latest_progress(action, years) for action in actions]),
                "latest_report": {
                    "kind": latest.get_kind_display(),
                    "fiscal_year": latest.fiscal_year,
                    "published_at": latest.published_at,
                },
            }
        )
    return summaries


def _latest_progress(action, years: list[int]) -> int | None:
    """The progress entered for the latest 年度 of the plan that has one."""
    by_year = {row.fiscal_year: row.progress for row in action.years.all()}
    entered = [by_year[year] for year in years if by_year.get(year) is not None]
    return entered[-1] if entered else None


def _average(progresses: list[int | None]) -> int | None:
    """The average progress of the actions that have one."""
    measured = [progress for progress in progresses if progress is not None]
    return round(sum(measured) / len(measured)) if measured else None


def published_plan(organization, slug: str) -> Plan:
    plan = published_plans(organization).filter(slug=slug).first()
    if plan is None:
        raise Http404
    return plan


def _action(action, years: list[int], organization) -> dict:
    by_year = {row.fiscal_year: row for row in action.years.all()}
    entered = [by_year[year] for year in years if year in by_year]
    with_status = [row for row in entered if row.status_text]
    return {
        "number": action.number,
        "title": action.title,
        "division": action.division_name,
        # Status texts may carry figures ({{metric …}}) filled from the records, as in the reports.
        "status": figures.expand_figures(
            with_status[-1].status_text, organization, with_status[-1].fiscal_year
        )
        if with_status
        else "",
        "progress": _latest_progress(action, years),
        "schedule": {year: by_year[year].schedule if year in by_year else "" for year in years},
    }


def public_plan_data(plan: Plan) -> dict:
    """Everything the public page, its CSV and its JSON show, as plain data."""
    years = plan.fiscal_years
    labels = {year: japanese.fiscal_year_label(year) for year in years}
    actions = [
        _action(action, years, plan.organization)
        for action in plan.actions.prefetch_related("years").order_by("number")
    ]
    indicators = []
    for indicator in plan.indicators.prefetch_related("years"):
        rows = indicator_rows(indicator)
        indicators.append(
            {
                "name": indicator.name,
                "kind": indicator.get_kind_display(),
                "unit": indicator.unit,
                "decimals": indicator.decimals,
                "live": bound_metric(indicator) is not None,
                "years": [
                    {
                        "fiscal_year": row["fiscal_year"],
                        "label": row["label"],
                        "target": _number(row["target"]),
                        "actual": _number(row["actual"]),
                        "target_text": row["target_text"],
                        "actual_text": figures.NO_DATA if row["no_data"] else row["actual_text"],
                        "measured": row["measured"],
                    }
                    for row in rows
                ],
                "chart": chart_points(rows, for_page=True),
            }
        )
    yearly_budgets = []
    for year in years:
        totals = budgets.totals(plan, year)
        planned, executed = totals["planned"], totals["executed"]
        yearly_budgets.append(
            {
                "fiscal_year": year,
                "label": labels[year],
                "planned": planned,
                "executed": executed,
                "planned_text": figures.budget_text(planned),
                "executed_text": figures.budget_text(executed),
                "rate": figures.number_text(executed * 100 / planned, 1)
                if planned and executed is not None
                else "",
            }
        )
    return {
        "plan": {
            "name": plan.name,
            "slug": plan.slug,
            "department": plan.department,
            "goal": plan.goal,
            "period": f"{labels[years[0]]}〜{labels[years[-1]]}" if years else "",
            "first_year": years[0] if years else None,
            "last_year": years[-1] if years else None,
        },
        "organization": plan.organization.name,
        "progress": _average([action["progress"] for action in actions]),
        "actions": actions,
        "timeline": [
            {
                "fiscal_year": year,
                "label": labels[year],
                "actions": [
                    {"number": a["number"], "title": a["title"], "schedule": a["schedule"][year]}
                    for a in actions
                    if a["schedule"][year]
                ],
            }
            for year in years
        ],
        "indicators": indicators,
        "budgets": yearly_budgets,
        "budget_lists": budgets.budget_lists(plan),
    }


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)

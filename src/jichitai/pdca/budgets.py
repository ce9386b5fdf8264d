"""Which project rows make up a plan's budget of a 年度: one rule, used for the planned and the
executed totals alike, by the staff's executed-budget form and by the public plan page, its JSON
and CSV, so that the figures staff enter are the figures the public sees."""

from django.db.models import QuerySet, Sum

from jichitai.core import japanese
from jichitai.pdca.models import Plan, ProjectYear


def counted_rows(plan: Plan, fiscal_year: int) -> QuerySet[ProjectYear]:
    """The project rows that make up the plan's budget of a 年度, each spending counted once.

    An evaluation sheet (評価表) lists its projects with the budget of the previous 年度 and of
    its own. The sheet of the next 年度 restates the previous 年度 in its own project structure
    (projects renamed, merged), so for a 年度 the newest sheet reporting it is authoritative: its
    projects' rows count, those of the older sheet do not. A budget list (projects with a
    ``group``) gathers related 細事業 across departments, parts of which lie inside those
    projects; it is shown as a list of its own and never added to the plan's budget. When no
    sheet reports the 年度, every project row outside budget lists counts."""
    rows = (
        ProjectYear.objects.filter(project__plan=plan, project__group="", fiscal_year=fiscal_year)
        .select_related("project")
        .order_by("project__order", "project__id")
    )
    for sheet_year in (fiscal_year + 1, fiscal_year):
        on_sheet = rows.filter(project__sheet_year=sheet_year)
        if on_sheet.exists():
            return on_sheet
    return rows


def totals(plan: Plan, fiscal_year: int) -> dict[str, int | None]:
    """The planned and executed budget (千円) of a 年度; None where no counted row has a figure."""
    return counted_rows(plan, fiscal_year).aggregate(
        planned=Sum("budget"), executed=Sum("executed")
    )


def budget_list(plan: Plan, fiscal_year: int) -> dict:
    """A budget list (事業一覧) of a 年度: its 細事業 by group with their initial budgets (千円),
    each group's subtotal and the list's total, all summed from the project rows."""
    groups: dict[str, dict] = {}
    rows = (
        ProjectYear.objects.filter(
            project__plan=plan, fiscal_year=fiscal_year, budget__isnull=False
        )
        .exclude(project__group="")
        .select_related("project")
        .order_by("project__order", "project__id")
    )
    for row in rows:
        project = row.project
        group = groups.setdefault(
            project.group, {"name": project.group, "projects": [], "subtotal": 0}
        )
        group["projects"].append(
            {
                "department": project.department,
                "name": project.name,
                "budget": row.budget,
                "summary": row.summary,
            }
        )
        group["subtotal"] += row.budget
    return {
        "fiscal_year": fiscal_year,
        "label": japanese.fiscal_year_label(fiscal_year),
        "groups": list(groups.values()),
        "total": sum(group["subtotal"] for group in groups.values()),
    }


def budget_list_years(plan: Plan) -> list[int]:
    """The 年度 for which the plan has a budget list, in order."""
    years = ProjectYear.objects.filter(project__plan=plan, budget__isnull=False).exclude(
        project__group=""
    )
    return sorted(set(years.values_list("fiscal_year", flat=True)))


def budget_lists(plan: Plan) -> list[dict]:
    return [budget_list(plan, year) for year in budget_list_years(plan)]

"""Reads of the automation module; each takes the organization first."""

import difflib
from collections import OrderedDict
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict

from django.db.models import QuerySet, Sum

from jichitai.accounts.models import User
from jichitai.automation.errors import BusinessError
from jichitai.automation.models import (
    AppliedItem,
    LedgerLine,
    Run,
    RunFile,
    RunItem,
    Scenario,
    ScenarioVersion,
    Schedule,
    Secret,
)
from jichitai.automation.registry import ShippedScenario
from jichitai.automation.registry import scenarios as shipped_scenarios
from jichitai.core.japanese import fiscal_year_bounds
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import for_tenant, tenant_get


def scenarios_of(organization: Organization) -> QuerySet[Scenario]:
    return (
        for_tenant(Scenario, organization).select_related("division").prefetch_related("versions")
    )


def awaiting_sign_off(organization: Organization, *, user: User) -> dict[str, list]:
    """What waits for a manager's sign-off that this user may give: each scenario's newest
    version not yet approved, and schedules not yet enabled, that someone else wrote."""
    versions = []
    for scenario in scenarios_of(organization):
        current = max(scenario.versions.all(), key=lambda version: version.number, default=None)
        if current and current.approved_at is None and current.created_by_id != user.pk:
            versions.append(current)
    schedules = (
        for_tenant(Schedule, organization)
        .filter(enabled_at__isnull=True)
        .exclude(requested_by=user)
        .select_related("scenario")
        .order_by("created_at")
    )
    return {"versions": versions, "schedules": list(schedules)}


def scenario_count(organization: Organization) -> int:
    return for_tenant(Scenario, organization).count()


def shipped_templates(organization: Organization) -> list[ShippedScenario]:
    """The shipped scenarios the organization may start from and has not added yet."""
    present = set(for_tenant(Scenario, organization).values_list("name", flat=True))
    return [
        entry
        for name, entry in shipped_scenarios.items()
        if name not in present and entry.suits(organization)
    ]


def shipped_template(organization: Organization, name: str) -> ShippedScenario | None:
    entry = shipped_scenarios.get(name) if name in shipped_scenarios else None
    return entry if entry and entry.suits(organization) else None


def scenario_of(organization: Organization, scenario_id: int) -> Scenario:
    return tenant_get(Scenario.objects.select_related("division"), organization, pk=scenario_id)


def scenario_by_name(organization: Organization, name: str) -> Scenario:
    return tenant_get(Scenario.objects.select_related("division"), organization, name=name)


def version_of(scenario: Scenario, version_id: int) -> ScenarioVersion:
    from django.http import Http404

    version = scenario.versions.filter(pk=version_id).first() if str(version_id).isdigit() else None
    if version is None:
        raise Http404
    return version


def runs_of(organization: Organization, *, scenario: Scenario | None = None) -> QuerySet[Run]:
    runs = for_tenant(Run, organization).select_related("version__scenario", "started_by", "job")
    if scenario is not None:
        runs = runs.filter(version__scenario=scenario)
    return runs


def run_of(organization: Organization, run_id: int) -> Run:
    return tenant_get(runs_of(organization), organization, pk=run_id)


def item_of(organization: Organization, item_id: int) -> RunItem:
    from django.http import Http404

    item = (
        RunItem.objects.select_related("run__version__scenario")
        .filter(pk=item_id if str(item_id).isdigit() else 0, run__in=for_tenant(Run, organization))
        .first()
    )
    if item is None:
        raise Http404
    return item


def work_queue(organization: Organization, *, include_resolved: bool = False) -> QuerySet[RunItem]:
    """Items a person has to handle: 業務エラー, and システムエラー that exhausted their retries."""
    items = RunItem.objects.filter(
        run__in=for_tenant(Run, organization).filter(mode=Run.Mode.APPLY),
        status=RunItem.Status.FAILED,
    ).select_related("run__version__scenario", "resolved_by")
    if not include_resolved:
        items = items.filter(resolved_at__isnull=True)
    return items.order_by("-run__created_at", "position")


def work_queue_count(organization: Organization) -> int:
    """How many items of the work queue wait for a person."""
    return work_queue(organization).count()


def secrets_of(organization: Organization) -> QuerySet[Secret]:
    return for_tenant(Secret, organization).select_related("updated_by")


def secret_of(organization: Organization, secret_id: int) -> Secret:
    return tenant_get(Secret, organization, pk=secret_id)


def scenarios_using(secret: Secret) -> list[Scenario]:
    """The scenarios whose current version names the secret (to log in to a system with it)."""
    return [
        scenario
        for scenario in scenarios_of(secret.organization)
        if secret.name in (scenario.current_version.definition.get("secrets") or [])
    ]


def secret_named(organization: Organization, name: str) -> Secret | None:
    return for_tenant(Secret, organization).filter(name=name).first()


def was_planned(version: ScenarioVersion) -> bool:
    """Whether a dry run of this version has finished: what its approver reads before approving."""
    return version.runs.filter(
        mode=Run.Mode.PLAN, status__in=[Run.Status.FINISHED, Run.Status.FINISHED_WITH_ERRORS]
    ).exists()


def versions_of(scenario: Scenario) -> QuerySet[ScenarioVersion]:
    return scenario.versions.select_related("created_by", "approved_by")


def changes_to_approve(
    current: ScenarioVersion,
) -> tuple[ScenarioVersion, list[tuple[str, str]]] | None:
    """What ``current`` (the scenario's newest version), waiting for approval, changes in the last
    approved one: its definition's lines as ("same" | "del" | "ins" | "gap", text), two unchanged
    lines around each change. None when it is approved or nothing was approved before it."""
    if current.approved_at is not None:
        return None
    approved = (
        current.scenario.versions.filter(approved_at__isnull=False, number__lt=current.number)
        .order_by("-number")
        .first()
    )
    if approved is None:
        return None
    lines: list[tuple[str, str]] = []
    diff = difflib.unified_diff(
        approved.source.splitlines(), current.source.splitlines(), n=2, lineterm=""
    )
    for line in list(diff)[2:]:  # past the ---/+++ file header
        if line.startswith("@@"):
            lines.append(("gap", "…"))
        else:
            lines.append(({"-": "del", "+": "ins"}.get(line[:1], "same"), line[1:]))
    return approved, lines[1:]  # the first hunk needs no gap before it


def schedules_of(scenario: Scenario) -> QuerySet[Schedule]:
    return scenario.schedules.select_related("requested_by", "enabled_by")


def schedules_with_inputs(current: ScenarioVersion) -> list[tuple[Schedule, list[str]]]:
    """The schedules of the scenario whose newest version is ``current``, each with what its runs
    will work on as 「label: value」 lines (the inputs ``current`` declares; a procedure by its
    name), so the manager who enables one sees what they sign off."""
    from jichitai.procedures.selectors import procedures_of

    scenario = current.scenario
    declared = current.definition.get("inputs", [])
    names = {str(p.pk): p.name for p in procedures_of(scenario.organization)}
    shown = []
    for schedule in schedules_of(scenario):
        lines = []
        for entry in declared:
            value = schedule.inputs.get(entry["name"])
            if value in (None, ""):
                continue
            if entry["kind"] == "procedure":
                value = names.get(str(value), value)
            lines.append(f"{entry.get('label') or entry['name']}: {value}")
        shown.append((schedule, lines))
    return shown


def schedule_of(organization: Organization, schedule_id: int) -> Schedule:
    return tenant_get(Schedule.objects.select_related("scenario"), organization, pk=schedule_id)


def items_of(run: Run) -> QuerySet[RunItem]:
    return run.items.all()


def files_of(run: Run) -> QuerySet[RunFile]:
    return run.files.all()


def file_of(run: Run, file_id: int) -> RunFile:
    from django.http import Http404

    found = run.files.filter(pk=file_id).first() if str(file_id).isdigit() else None
    if found is None:
        raise Http404
    return found


def run_to_execute(run_id: int) -> Run:
    """The run a background job executes (the job names it; it carries its organization)."""
    return Run.objects.select_related("version__scenario__division", "organization").get(pk=run_id)


def applied_marker(scenario: Scenario, key: str) -> AppliedItem | None:
    """The idempotency marker of an item key of the scenario, if an earlier run wrote it."""
    return AppliedItem.objects.filter(scenario=scenario, key=key).first()


def waiting_item(scenario: Scenario, key: str, *, before_run: Run) -> RunItem | None:
    """An item of an earlier production run with the same key still waiting in the work queue."""
    return (
        RunItem.objects.filter(
            run__version__scenario=scenario,
            run__mode=Run.Mode.APPLY,
            run__pk__lt=before_run.pk,
            key=key,
            status=RunItem.Status.FAILED,
            failure_kind=RunItem.FailureKind.BUSINESS,
            resolved_at__isnull=True,
        )
        .order_by("-run__pk")
        .first()
    )


def approved_applications(organization: Organization, procedure: int | str) -> list[dict[str, Any]]:
    """The approved applications of a procedure (given by id or name), oldest first, as plain
    rows for a scenario: receipt number, applicant, e-mail, submission date and the form data."""
    from jichitai.procedures import selectors as procedures
    from jichitai.procedures.models import Application

    candidates = procedures.procedures_of(organization)
    found = (
        candidates.filter(pk=int(procedure)).first()
        if str(procedure).isdigit()
        else candidates.filter(name=str(procedure)).first()
    )
    if found is None:
        raise BusinessError(f"手続「{procedure}」が見つかりません。")
    applications = (
        for_tenant(Application, organization)
        .filter(procedure=found, status=Application.Status.APPROVED)
        .order_by("submitted_at", "pk")
    )
    return [
        {
            "receipt_number": application.receipt_number,
            "name": application.applicant_name,
            "email": application.applicant_email,
            "submitted": application.submitted_at.date().isoformat(),
            "data": application.data,
        }
        for application in applications
    ]


def ledger_lines(
    organization: Organization, fiscal_year: int | None = None
) -> QuerySet[LedgerLine]:
    lines = for_tenant(LedgerLine, organization)
    if fiscal_year is not None:
        lines = lines.filter(fiscal_year=fiscal_year)
    return lines


def ledger_years(organization: Organization) -> list[int]:
    return sorted(
        set(for_tenant(LedgerLine, organization).values_list("fiscal_year", flat=True)),
        reverse=True,
    )


def _hours(minutes: Decimal) -> Decimal:
    return (minutes / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class Figures(TypedDict):
    before: Decimal
    after: Decimal
    reduction: Decimal
    reduction_percent: Decimal | None


def _figures(before_minutes: Decimal | None, after_minutes: Decimal | None) -> Figures:
    """Hours shown to one decimal; the reduction and its share come from the exact minutes (30 → 3
    minutes is a 90% cut, even though the hours shown are 0.5 → 0.1)."""
    before, after = Decimal(before_minutes or 0), Decimal(after_minutes or 0)
    share = (
        ((before - after) * 100 / before).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if before
        else None
    )
    return {
        "before": _hours(before),
        "after": _hours(after),
        "reduction": _hours(before - after),
        "reduction_percent": share,
    }


def effect_by_fiscal_year(organization: Organization, fiscal_year: int) -> dict[str, Any]:
    """Hours before and after automation, and the reduction, per task, per division and in total
    for one 年度 (April–March): ``{"tasks": [...], "divisions": [...], "total": {...}}``."""
    lines = ledger_lines(organization, fiscal_year)
    tasks = [
        {
            "task": row["task"],
            "division": row["division"],
            "items": row["items"],
            **_figures(row["b"], row["a"]),
        }
        for row in lines.values("task", "division")
        .annotate(b=Sum("minutes_before"), a=Sum("minutes_after"), items=Sum("items"))
        .order_by("division", "task")
    ]
    divisions = OrderedDict()
    for row in (
        lines.values("division")
        .annotate(b=Sum("minutes_before"), a=Sum("minutes_after"))
        .order_by("division")
    ):
        divisions[row["division"]] = {"division": row["division"], **_figures(row["b"], row["a"])}
    totals = lines.aggregate(b=Sum("minutes_before"), a=Sum("minutes_after"))
    return {
        "fiscal_year": fiscal_year,
        "tasks": tasks,
        "divisions": list(divisions.values()),
        "total": {"tasks": len(tasks), **_figures(totals["b"], totals["a"])},
    }


def ledger_since(organization: Organization) -> date | None:
    """The start of the first 年度 of the effect ledger (its first line may be imported history)."""
    first = ledger_lines(organization).order_by("fiscal_year").values_list("fiscal_year", flat=True)
    year = first.first()
    return fiscal_year_bounds(year)[0] if year is not None else None


def hours_saved(organization: Organization, fiscal_year: int) -> Decimal | None:
    effect = effect_by_fiscal_year(organization, fiscal_year)
    return effect["total"]["reduction"] if effect["tasks"] else None


def hours_saved_of(organizations: Iterable[Organization], fiscal_year: int) -> dict[int, Decimal]:
    """``hours_saved`` of many organizations (a prefecture's 市町) in one query; organizations
    without ledger lines that 年度 are left out."""
    rows = (
        LedgerLine.objects.filter(organization__in=list(organizations), fiscal_year=fiscal_year)
        .order_by()
        .values_list("organization_id")
        .annotate(b=Sum("minutes_before"), a=Sum("minutes_after"))
    )
    return {
        organization_id: _figures(before, after)["reduction"]
        for organization_id, before, after in rows
    }


def procedure_names(organization: Organization) -> list[str]:
    """The names of the organization's procedures, offered where a step parameter names one."""
    from jichitai.procedures.selectors import procedures_of

    return [procedure.name for procedure in procedures_of(organization)]


def plan_preview(
    organization: Organization, scenario: Scenario, *, count: int = 5
) -> tuple[Run | None, list[RunItem]]:
    """The latest plan (dry run) of the scenario and its first items, shown beside the editor."""
    plan = (
        runs_of(organization, scenario=scenario).filter(mode=Run.Mode.PLAN).order_by("-pk").first()
    )
    return plan, list(plan.items.order_by("position")[:count]) if plan else []

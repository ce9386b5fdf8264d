"""Importing the plan workbook: the preview (every row compared with the plan, ``workbook_diff``),
the confirmation that starts the background job ``pdca.import``, and applying the changes — only
the values that changed, all in one transaction, each changed object audited with old → new."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.core.actors import signed_in
from jichitai.core.templatetags.japanese import nendo
from jichitai.jobs.models import Job
from jichitai.jobs.services import start_job
from jichitai.pdca import selectors, workbook_diff
from jichitai.pdca.models import (
    Action,
    ActionYear,
    ImportBatch,
    IndicatorYear,
    Plan,
    ProjectYear,
)
from jichitai.pdca.services import save_audited
from jichitai.pdca.workbook_sheets import Unreadable

# The audit summary of every change a workbook import makes.
IMPORTED = "Excel の取込"


@transaction.atomic
def preview_import(*, actor: User | None, plan: Plan, file_name: str, data: bytes) -> ImportBatch:
    """The rows read and the problems found, stored for the preview; a file that cannot be read
    at all is refused for the file field instead."""
    try:
        rows, problems = workbook_diff.read_workbook(plan, data)
    except Unreadable as unreadable:
        raise ValidationError({"workbook": str(unreadable)}) from None
    return ImportBatch.objects.create(
        organization=plan.organization,
        plan=plan,
        file_name=file_name,
        rows=rows,
        problems=problems,
        created_by=signed_in(actor),
    )


def _changed_years(batch: ImportBatch) -> set[int]:
    return {
        change["year"]
        for row in batch.rows
        for change in row["changes"]
        if change.get("year") is not None
    }


def _refuse_locked_years(batch: ImportBatch) -> None:
    touched = sorted(_changed_years(batch) & selectors.locked_years(batch.plan))
    if touched:
        raise ValidationError(
            _("%(years)sは締め切られています。") % {"years": "、".join(nendo(y) for y in touched)}
        )


@transaction.atomic
def confirm_import(*, actor: User, batch: ImportBatch) -> Job:
    if batch.problems:
        raise ValidationError(_("問題のある行を直したファイルをもう一度アップロードしてください。"))
    if batch.status != ImportBatch.Status.PREVIEW:
        raise ValidationError(_("この取込はすでに反映されています。"))
    if not any(row["status"] != "unchanged" for row in batch.rows):
        raise ValidationError(_("変更のある行がないため、反映するものはありません。"))
    _refuse_locked_years(batch)
    job = start_job(
        kind="pdca.import",
        title=f"計画の取込: {batch.file_name}",
        organization=batch.organization,
        actor=actor,
        batch_id=batch.pk,
    )
    batch.job = job
    batch.save(update_fields=["job"])
    return job


def _summary(batch: ImportBatch) -> dict[str, int]:
    statuses = [row["status"] for row in batch.rows]
    return {
        "created": statuses.count("new"),
        "updated": statuses.count("changed"),
        "unchanged": statuses.count("unchanged"),
    }


@transaction.atomic
def apply_workbook(
    *, batch: ImportBatch, progress: Callable[..., None] | None = None
) -> dict[str, int]:
    """Writes the previewed changes and nothing else: rows marked 変更なし are not touched, and of
    a changed row only its changed values are written. All or nothing; applying a batch again
    (an interrupted job run once more) writes nothing twice."""
    batch = (
        ImportBatch.objects.select_for_update(of=("self",))
        .select_related("plan__organization", "created_by")
        .get(pk=batch.pk)
    )
    if batch.problems:
        raise ValidationError(batch.problems)
    summary = _summary(batch)
    if batch.status == ImportBatch.Status.APPLIED:
        return summary
    _refuse_locked_years(batch)
    plan, actor = batch.plan, batch.created_by
    changed = [row for row in batch.rows if row["status"] != "unchanged"]
    if progress:
        progress(0, len(changed), "変更を反映しています")
    writers = {"action": _action, "indicator_year": _indicator_year, "project_year": _project_year}
    for done, row in enumerate(changed, start=1):
        writers[row["apply"]["kind"]](plan, actor, row["apply"])
        if progress:
            progress(done)
    batch.status = ImportBatch.Status.APPLIED
    batch.save(update_fields=["status"])
    audit.record(
        action="pdca.workbook.imported",
        actor=actor,
        organization=plan.organization,
        target=plan,
        summary=f"{batch.file_name}: 追加 {summary['created']} 件、更新 {summary['updated']} 件",
    )
    return summary


def apply_import_now(*, batch: ImportBatch) -> dict[str, int]:
    """The command line applies a checked workbook at once (no worker involved)."""
    return apply_workbook(batch=batch)


def _action(plan: Plan, actor: User | None, change: dict[str, Any]) -> None:
    values = dict(change["fields"])
    if "node" in values:
        values["node"] = plan.nodes.get(parent__isnull=True, number=values["node"])
    action = plan.actions.filter(number=change["number"]).first()
    if action is None:
        action = Action.objects.create(plan=plan, number=change["number"], **values)
        audit.record_created(
            instance=action,
            fields=["number", "title", "division_name", "category"],
            actor=actor,
            organization=plan.organization,
            summary=IMPORTED,
        )
    elif values:
        _save_imported(plan, actor, action, values, action="pdca.action.updated")
    for year, year_values in change["years"].items():
        row, _created = ActionYear.objects.get_or_create(action=action, fiscal_year=int(year))
        _save_imported(
            plan,
            actor,
            row,
            year_values,
            action="pdca.action_year.updated",
            stamps={"updated_by": actor, "updated_at": timezone.now()},
        )


def _indicator_year(plan: Plan, actor: User | None, change: dict[str, Any]) -> None:
    indicator = plan.indicators.get(pk=change["indicator"])
    values = dict(change["fields"])
    if "actual" in values and indicator.metric_name:
        raise ValidationError(
            _("「%(indicator)s」は自動計測です。実績値は取り込めません。")
            % {"indicator": indicator.name}
        )
    row, _created = IndicatorYear.objects.get_or_create(
        indicator=indicator, fiscal_year=change["fiscal_year"]
    )
    typed = {
        name: Decimal(value) if name != "rationale" and value is not None else value
        for name, value in values.items()
    }
    _save_imported(
        plan,
        actor,
        row,
        typed,
        action="pdca.indicator_year.updated",
        stamps={"entered_by": actor, "entered_at": timezone.now()},
    )


def _project_year(plan: Plan, actor: User | None, change: dict[str, Any]) -> None:
    project = plan.projects.get(pk=change["project"])
    row, _created = ProjectYear.objects.get_or_create(
        project=project, fiscal_year=change["fiscal_year"]
    )
    _save_imported(plan, actor, row, change["fields"], action="pdca.project_year.updated")


def _save_imported(
    plan: Plan,
    actor: User | None,
    row: models.Model,
    values: dict[str, Any],
    *,
    action: str,
    stamps: dict[str, Any] | None = None,
) -> None:
    save_audited(
        row=row,
        values=values,
        actor=actor,
        organization=plan.organization,
        action=action,
        summary=IMPORTED,
        stamps=stamps,
    )

"""Writes of the automation module: scenarios and their immutable versions, approval, runs, the
work queue, secrets and manual ledger lines (one transaction per action, each audited), and what
the runner records while it executes a run (not audited: no person acts there). Schedules are in
``scheduling``."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.automation import definition as definitions
from jichitai.automation import selectors, vault
from jichitai.automation.errors import DefinitionError
from jichitai.automation.files import copy_inputs, copy_path_inputs
from jichitai.automation.models import (
    AppliedItem,
    LedgerLine,
    Run,
    RunFile,
    RunItem,
    Scenario,
    ScenarioVersion,
    Secret,
)
from jichitai.core.actors import signed_in
from jichitai.core.japanese import fiscal_year as fiscal_year_of
from jichitai.core.japanese import fiscal_year_label
from jichitai.jobs.services import start_job
from jichitai.tenancy.models import Division, Membership, Organization, Role
from jichitai.tenancy.selectors import for_tenant


def _parse(source: str) -> dict[str, Any]:
    try:
        return definitions.parse(source)
    except DefinitionError as error:
        raise ValidationError({"source": error.problems}) from None


def _division(organization: Organization, name: str) -> Division | None:
    if not name:
        return None
    return for_tenant(Division, organization).filter(name=name).first()


@transaction.atomic
def create_scenario(*, actor: User | None, organization: Organization, source: str) -> Scenario:
    data = _parse(source)
    if for_tenant(Scenario, organization).filter(name=data["name"]).exists():
        raise ValidationError(
            {"source": [_("識別子「%(name)s」のシナリオは既にあります。") % {"name": data["name"]}]}
        )
    scenario = Scenario.objects.create(
        organization=organization,
        name=data["name"],
        title=data["title"],
        division=_division(organization, data.get("division", "")),
    )
    version = ScenarioVersion.objects.create(
        scenario=scenario, number=1, source=source, definition=data, created_by=signed_in(actor)
    )
    audit.record(
        action="automation.scenario.created",
        actor=actor,
        organization=organization,
        target=version,
        summary=scenario.title,
    )
    return scenario


@transaction.atomic
def new_version(*, actor: User | None, scenario: Scenario, source: str) -> ScenarioVersion:
    """A change is a new version (versions are never edited); it needs approval again."""
    data = _parse(source)
    if data["name"] != scenario.name:
        raise ValidationError(
            {
                "source": [
                    _("識別子(name)は「%(name)s」のままにしてください。") % {"name": scenario.name}
                ]
            }
        )
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    current = scenario.current_version
    if current is not None and current.definition == data:
        raise ValidationError({"source": [_("前の版から変更がありません。")]})
    version = ScenarioVersion.objects.create(
        scenario=scenario,
        number=(current.number + 1) if current else 1,
        source=source,
        definition=data,
        created_by=signed_in(actor),
    )
    scenario.title = data["title"]
    scenario.division = (
        _division(scenario.organization, data.get("division", "")) or scenario.division
    )
    scenario.save(update_fields=["title", "division"])
    audit.record(
        action="automation.version.created",
        actor=actor,
        organization=scenario.organization,
        target=version,
        summary=f"第{version.number}版",
    )
    return version


@transaction.atomic
def approve_version(
    *, actor: User, membership: Membership | None, version: ScenarioVersion
) -> ScenarioVersion:
    version = (
        ScenarioVersion.objects.select_for_update().select_related("scenario").get(pk=version.pk)
    )
    if membership is None or not membership.has_role(Role.MANAGER):
        raise ValidationError(_("承認できるのは所属長・推進担当以上の職員です。"))
    if version.approved_at is not None:
        raise ValidationError(_("この版は承認済みです。"))
    if version.created_by_id is not None and version.created_by_id == getattr(actor, "pk", None):
        raise ValidationError(
            _("シナリオを作成・変更した職員は、その版を承認できません(別の職員が承認します)。")
        )
    if not selectors.was_planned(version):
        raise ValidationError(
            _("承認の前に、この版の計画(ドライラン)を実行して内容を確認してください。")
        )
    version.approved_by = actor
    version.approved_at = timezone.now()
    version.save(update_fields=["approved_by", "approved_at"])
    audit.record(
        action="automation.version.approved",
        actor=actor,
        organization=version.scenario.organization,
        target=version,
        summary=f"第{version.number}版を承認",
    )
    return version


@transaction.atomic
def start_run(
    *,
    actor: User | None,
    scenario: Scenario,
    mode: str,
    values: dict | None = None,
    files: dict | None = None,
    paths: dict | None = None,
    background: bool = True,
) -> Run:
    """Records a run of the scenario's current version and queues it as a background job (or,
    with ``background=False``, leaves it for the caller to execute, as the command line does).
    A production run needs the version approved."""
    version = scenario.current_version
    if version is None:
        raise ValidationError(_("シナリオに版がありません。"))
    if mode == Run.Mode.APPLY and not version.is_approved:
        raise ValidationError(
            _(
                "第%(number)s版はまだ承認されていません。計画を確認し、別の職員(所属長・推進担当以上)が承認してから本番実行できます。"
            )
            % {"number": version.number}
        )
    declared = {entry["name"]: entry for entry in version.definition.get("inputs", [])}
    given = set((values or {}).keys()) | set((files or {}).keys()) | set((paths or {}).keys())
    unknown = given - set(declared)
    if unknown:
        raise ValidationError(
            _("このシナリオにない入力です: %(inputs)s") % {"inputs": "、".join(sorted(unknown))}
        )
    missing = [
        entry.get("label") or name
        for name, entry in declared.items()
        if entry.get("required", True) and name not in given
    ]
    if missing:
        raise ValidationError(
            _("入力「%(inputs)s」を指定してください。") % {"inputs": "」「".join(missing)}
        )
    run = Run.objects.create(
        organization=scenario.organization,
        version=version,
        mode=mode,
        started_by=signed_in(actor),
    )
    inputs = dict(values or {})
    kinds = {name: entry["kind"] for name, entry in declared.items()}
    inputs.update(copy_inputs(run, files or {}, kinds))
    inputs.update(copy_path_inputs(run, paths or {}))
    run.inputs = inputs
    run.save(update_fields=["inputs"])
    # The job list and the audit log are shared records: written in the platform's language,
    # not in that of whoever started the run.
    with translation.override(settings.LANGUAGE_CODE):
        mode = run.get_mode_display()
    audit.record(
        action="automation.run.started",
        actor=actor,
        organization=scenario.organization,
        target=run,
        summary=f"{scenario.title} 第{version.number}版 {mode}",
    )
    if background:
        job = start_job(
            kind="automation.run",
            title=f"{scenario.title}({mode})",
            organization=scenario.organization,
            actor=actor,
            run_id=run.pk,
        )
        run.job = job
        run.save(update_fields=["job"])
    return run


# --- What the runner records while a run executes ---------------------------------------------


def mark_run_started(*, run: Run) -> None:
    Run.objects.filter(pk=run.pk).update(status=Run.Status.RUNNING, started_at=timezone.now())


@transaction.atomic
def create_run_items(*, run: Run, entries: list[dict]) -> None:
    """The run's items, in order, from ``{"key", "label", "data"}`` entries."""
    RunItem.objects.bulk_create(
        RunItem(run=run, position=position, **entry)
        for position, entry in enumerate(entries, start=1)
    )


def record_run_file(*, run: Run, name: str, path: str) -> None:
    RunFile.objects.update_or_create(run=run, name=name, defaults={"file": path})


def mark_item_write(*, run: Run, key: str, state: str) -> None:
    """The item's idempotency marker: ``started`` is committed before its first external write,
    ``completed`` after its last step."""
    AppliedItem.objects.update_or_create(
        scenario=run.version.scenario, key=key, defaults={"state": state, "run": run}
    )


@transaction.atomic
def finish_item(
    *,
    item: RunItem,
    status: str,
    attempts: int,
    message: str,
    log: str,
    duration_ms: int,
    failure_kind: str = "",
    screenshot: bytes | None = None,
    planned: tuple | list = (),
    result: dict | None = None,
) -> RunItem:
    item.status, item.attempts, item.message, item.log = status, attempts, message, log
    item.duration_ms, item.failure_kind = duration_ms, failure_kind
    item.planned, item.result = list(planned), result or {}
    if screenshot:
        item.screenshot.save(f"{item.pk}.png", ContentFile(screenshot), save=False)
    item.save()
    return item


@transaction.atomic
def finish_run(
    *, run: Run, definition: dict, status: str, message: str, log: str, planned: list[str]
) -> Run:
    """The run's outcome; the items' source rows are dropped unless a person still needs them;
    a production run's processed items go to the effect ledger."""
    run.status, run.message, run.log, run.planned = status, message, log, planned
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "message", "log", "planned", "finished_at"])
    if run.status != Run.Status.FAILED:
        # The row an item was made from (an application's personal data) is kept only while
        # someone may still need it: for items waiting in the work queue.
        run.items.exclude(status=RunItem.Status.FAILED).update(data={})
    done = run.items.filter(status=RunItem.Status.DONE).aggregate(
        count=Count("pk"), milliseconds=Sum("duration_ms")
    )
    processed = done["count"]
    if run.mode != Run.Mode.APPLY or not processed:
        return run
    scenario = run.version.scenario
    # Before: the declared manual minutes per item. After: the manual minutes that remain per item
    # (checking, filing) and the robot's measured time on the items.
    before = Decimal(str(definition["manual_minutes_before"]))
    after = Decimal(str(definition["manual_minutes_after"]))
    measured = (Decimal(done["milliseconds"] or 0) / 60000).quantize(Decimal("0.1"))
    LedgerLine.objects.update_or_create(
        run=run,
        defaults={
            "organization": run.organization,
            "scenario": scenario,
            "fiscal_year": fiscal_year_of(timezone.localdate()),
            "task": scenario.title,
            "division": scenario.division.name
            if scenario.division
            else definition.get("division", ""),
            "items": processed,
            "minutes_before": before * processed,
            "minutes_after": after * processed + measured,
            "note": f"実行 #{run.pk}: {processed} 件 × 手作業 {before} 分 → {after} 分"
            f"、自動処理の実測 {measured} 分",
            "created_by": run.started_by,
        },
    )
    return run


@transaction.atomic
def resolve_item(*, actor: User, item: RunItem, resolution: str, release: bool = False) -> RunItem:
    """Records how a person handled an item of the work queue. By default they did the work by
    hand: the item gets the idempotency marker a run would write, so no later run enters it again.
    With ``release`` the item is handed back to the robot: the next production run processes it."""
    if not resolution.strip():
        raise ValidationError({"resolution": [_("対応した内容を入力してください。")]})
    item = RunItem.objects.select_for_update().get(pk=item.pk)
    if item.resolved_at is not None:
        raise ValidationError(_("この項目は対応済みです。"))
    item.resolution = resolution.strip()
    item.resolved_by = actor
    item.resolved_at = timezone.now()
    item.data = {}
    item.save(update_fields=["resolution", "resolved_by", "resolved_at", "data"])
    scenario = item.run.version.scenario
    if release:
        # A write that stopped half-way was checked by the person: the robot may write again.
        AppliedItem.objects.filter(
            scenario=scenario, key=item.key, state=AppliedItem.State.STARTED
        ).delete()
    else:
        AppliedItem.objects.update_or_create(
            scenario=scenario,
            key=item.key,
            defaults={"state": AppliedItem.State.MANUAL, "run": item.run},
        )
    audit.record(
        action="automation.item.released" if release else "automation.item.resolved",
        actor=actor,
        organization=item.run.organization,
        target=item,
        summary=item.resolution[:200],
    )
    return item


@transaction.atomic
def set_secret(*, actor: User | None, organization: Organization, name: str, value: str) -> Secret:
    if len(value) < 3:
        raise ValidationError({"value": [_("3文字以上の値を入力してください。")]})
    secret, created = Secret.objects.update_or_create(
        organization=organization,
        name=name,
        defaults={"token": vault.encrypt(value), "updated_by": signed_in(actor)},
    )
    audit.record(
        action="automation.secret.created" if created else "automation.secret.changed",
        actor=actor,
        organization=organization,
        target=secret,
        summary=f"秘密情報「{name}」",
    )
    return secret


@transaction.atomic
def delete_secret(*, actor: User, secret: Secret) -> None:
    audit.record(
        action="automation.secret.deleted",
        actor=actor,
        organization=secret.organization,
        target=secret,
        summary=f"秘密情報「{secret.name}」",
    )
    secret.delete()


@transaction.atomic
def add_ledger_line(
    *,
    actor: User | None,
    organization: Organization,
    fiscal_year: int,
    task: str,
    division: str,
    hours_before: Decimal | int,
    hours_after: Decimal | int,
    items: int = 0,
    note: str = "",
) -> LedgerLine:
    before, after = Decimal(str(hours_before)), Decimal(str(hours_after))
    if before < 0 or after < 0:
        raise ValidationError({"hours_after": [_("時間は0以上で入力してください。")]})
    line = LedgerLine.objects.create(
        organization=organization,
        fiscal_year=fiscal_year,
        task=task,
        division=division,
        items=items,
        minutes_before=before * 60,
        minutes_after=after * 60,
        note=note,
        created_by=signed_in(actor),
    )
    audit.record(
        action="automation.ledger.added",
        actor=actor,
        organization=organization,
        target=line,
        summary=f"{fiscal_year_label(fiscal_year)} {task}",
    )
    return line

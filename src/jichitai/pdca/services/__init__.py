"""Writes about plans: figures per 年度 (refused for a closed 年度), metric bindings, locking and
reopening years, publishing frozen reports, a plan's executed budgets; importing the plan workbook
is in ``services/workbook.py``, adding levels, indicators and actions one by one (and deleting a
plan made by mistake) in ``services/structure.py``. Each is one transaction and audited with who entered what."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.core import japanese
from jichitai.core.actors import signed_in
from jichitai.core.registry import metrics
from jichitai.core.templatetags.japanese import nendo
from jichitai.pdca import budgets, selectors
from jichitai.pdca.indicators import chosen_metric, conditions_of, missing_conditions
from jichitai.pdca.models import (
    Action,
    ActionYear,
    Indicator,
    IndicatorYear,
    Node,
    Plan,
    Project,
    ReportSnapshot,
    YearLock,
)
from jichitai.tenancy.models import Membership, Organization

KEEP = object()  # "leave this value as it is", as opposed to None ("clear it")
MAX_AMOUNT = 2**63 - 1  # what ProjectYear.executed (BigIntegerField) holds


def _refuse_if_locked(plan: Plan, fiscal_year: int) -> None:
    if selectors.is_locked(plan, fiscal_year):
        raise ValidationError(
            _(
                "%(year)sは締め切られているため変更できません。所属長・推進担当に再開を依頼してください。"
            )
            % {"year": nendo(fiscal_year)}
        )


def _decimal(value: object, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise ValidationError({field: _("数値で入力してください。")}) from None


def save_audited(
    *,
    row: models.Model,
    values: dict[str, Any],
    actor: User | None,
    organization: Organization,
    action: str,
    summary: str = "",
    stamps: dict[str, Any] | None = None,
) -> None:
    """Writes ``values`` onto ``row`` with who and when (``stamps``) and records what changed, old
    and new: the one way every plan figure, schedule and budget is written, by hand or by import."""
    before = audit.snapshot(instance=row, fields=list(values))
    for name, value in {**values, **(stamps or {})}.items():
        setattr(row, name, value)
    row.save(update_fields=[*values, *(stamps or {})])
    audit.record_update(
        action=action,
        actor=actor,
        organization=organization,
        target=row,
        before=before,
        summary=summary,
    )


@transaction.atomic
def set_indicator_year(
    *, actor: User | None, indicator: Indicator, fiscal_year: int, **values: object
) -> IndicatorYear:
    """Target, actual, rationale and a manual achievement judgement (with its reason)."""
    plan = indicator.plan
    if fiscal_year not in plan.fiscal_years and fiscal_year != indicator.baseline_year:
        raise ValidationError({"fiscal_year": _("計画期間外の年度です。")})
    _refuse_if_locked(plan, fiscal_year)
    row, _created = IndicatorYear.objects.get_or_create(
        indicator=indicator, fiscal_year=fiscal_year
    )
    changes: dict[str, Any] = {
        name: _decimal(values[name], name) for name in ("target", "actual") if name in values
    }
    changes |= {
        name: values[name] or ""
        for name in ("rationale", "override", "override_comment")
        if name in values
    }
    override = changes.get("override", row.override)
    if override and not changes.get("override_comment", row.override_comment).strip():
        raise ValidationError(
            {"override_comment": _("達成状況を手動で決めるときは理由を入力してください。")}
        )
    if indicator.metric_name and "actual" in values and values["actual"] not in (None, ""):
        raise ValidationError({"actual": _("この指標は自動計測です。実績値は入力できません。")})
    save_audited(
        row=row,
        values=changes,
        actor=actor,
        organization=plan.organization,
        action="pdca.indicator_year.updated",
        summary=f"{indicator.name} {japanese.fiscal_year_label(fiscal_year)}",
        stamps={"entered_by": signed_in(actor), "entered_at": timezone.now()},
    )
    return row


@transaction.atomic
def bind_metric(
    *, actor: User, indicator: Indicator, metric_name: str, parameters: dict[str, Any]
) -> Indicator:
    """Binds an indicator to a live metric (or unbinds it with an empty name)."""
    if metric_name:
        if metric_name not in metrics:
            raise ValidationError({"metric_name": _("この指標はこの環境では計測できません。")})
        metric = metrics.get(metric_name)
        missing = missing_conditions(metric, parameters)
        if missing:
            raise ValidationError(
                {
                    "metric_name": _("「%(parameter)s」を指定してください。")
                    % {"parameter": missing[0].label}
                }
            )
        parameters, foreign = conditions_of(indicator.plan.organization, metric, parameters)
        if foreign:
            raise ValidationError(
                {
                    "metric_name": _(
                        "「%(parameter)s」に、この団体の手続でないものが指定されています。"
                    )
                    % {"parameter": foreign[0].label}
                }
            )
    else:
        parameters = {}
    before = {
        "metric_name": indicator.metric_name,
        "metric_parameters": indicator.metric_parameters,
    }
    indicator.metric_name = metric_name
    indicator.metric_parameters = parameters
    indicator.save(update_fields=["metric_name", "metric_parameters"])
    audit.record(
        action="pdca.indicator.bound",
        actor=actor,
        organization=indicator.plan.organization,
        target=indicator,
        changes=audit.changes_between(
            before=before, after={"metric_name": metric_name, "metric_parameters": parameters}
        ),
    )
    return indicator


@transaction.atomic
def set_action_year(
    *,
    actor: User,
    action: Action,
    fiscal_year: int,
    schedule: str | None = None,
    status_text: str | None = None,
    progress: object = KEEP,
) -> ActionYear:
    """Sets what is given (``None`` for schedule or status, ``KEEP`` for progress: unchanged)."""
    _refuse_if_locked(action.plan, fiscal_year)
    if progress is not KEEP and not (
        progress is None or (isinstance(progress, int) and 0 <= progress <= 100)
    ):
        raise ValidationError({"progress": [_("進捗率は0〜100の整数で入力してください。")]})
    row, _created = ActionYear.objects.get_or_create(action=action, fiscal_year=fiscal_year)
    changes: dict[str, Any] = {}
    if schedule is not None:
        changes["schedule"] = schedule
    if status_text is not None:
        changes["status_text"] = status_text
    if progress is not KEEP:
        changes["progress"] = progress if isinstance(progress, int) else None
    save_audited(
        row=row,
        values=changes,
        actor=actor,
        organization=action.plan.organization,
        action="pdca.action_year.updated",
        stamps={"updated_by": signed_in(actor), "updated_at": timezone.now()},
    )
    return row


@transaction.atomic
def set_executed_budgets(
    *, actor: User, plan: Plan, fiscal_year: int, amounts: dict[int, int | None]
) -> int:
    """The executed amounts (千円) of the plan's projects in a 年度, by project row; writes and
    audits only the amounts that changed and returns how many did."""
    _refuse_if_locked(plan, fiscal_year)
    rows = {row.pk: row for row in budgets.counted_rows(plan, fiscal_year)}
    unknown = set(amounts) - set(rows)
    if unknown:
        raise ValidationError(_("この年度の事業ではない行があります。画面を開き直してください。"))
    changed = 0
    for pk, amount in amounts.items():
        if amount is not None and not 0 <= amount <= MAX_AMOUNT:
            raise ValidationError(
                {f"executed_{pk}": _("千円単位の0以上の整数で入力してください(例: 64370)。")}
            )
        row = rows[pk]
        if row.executed == amount:
            continue
        save_audited(
            row=row,
            values={"executed": amount},
            actor=actor,
            organization=plan.organization,
            action="pdca.project_year.updated",
            summary=f"{row.project.name} {japanese.fiscal_year_label(fiscal_year)} 執行額",
        )
        changed += 1
    return changed


@transaction.atomic
def lock_year(*, actor: User | None, plan: Plan, fiscal_year: int) -> YearLock:
    lock, created = YearLock.objects.get_or_create(
        plan=plan, fiscal_year=fiscal_year, defaults={"locked_by": actor}
    )
    if created:
        audit.record(
            action="pdca.year.locked",
            actor=actor,
            organization=plan.organization,
            target=plan,
            summary=japanese.fiscal_year_label(fiscal_year),
        )
    return lock


@transaction.atomic
def reopen_year(*, actor: User, membership: Membership, plan: Plan, fiscal_year: int) -> None:
    from jichitai.tenancy.models import Role

    if not membership.has_role(Role.MANAGER):
        raise ValidationError(_("締め切った年度を再開できるのは所属長・推進担当以上です。"))
    deleted, _per_model = YearLock.objects.filter(plan=plan, fiscal_year=fiscal_year).delete()
    if deleted:
        audit.record(
            action="pdca.year.reopened",
            actor=actor,
            organization=plan.organization,
            target=plan,
            summary=japanese.fiscal_year_label(fiscal_year),
        )


@transaction.atomic
def publish_report(
    *, actor: User | None, plan: Plan, kind: str, fiscal_year: int, dated: date | None = None
) -> ReportSnapshot:
    """Freezes the report as it is now; later edits show only in a later publication. ``dated``
    is the date printed on it (the day of publication unless given)."""
    data = selectors.report_data(plan, kind, fiscal_year, dated)
    snapshot = ReportSnapshot.objects.create(
        plan=plan,
        kind=kind,
        fiscal_year=fiscal_year,
        data=data,
        published_by=signed_in(actor),
    )
    audit.record(
        action="pdca.report.published",
        actor=actor,
        organization=plan.organization,
        target=snapshot,
        summary=str(snapshot),
    )
    return snapshot


# --- A plan of one's own ---------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    actor: User,
    organization: Organization,
    name: str,
    slug: str,
    kind: str,
    first_year: int,
    last_year: int,
    copy_from: Plan | None = None,
) -> Plan:
    """A new plan of ``organization``; with ``copy_from`` (its own or its prefecture's plan) it
    takes that plan's structure — levels, actions, indicators (with their metric bindings, which
    then measure this organization) and projects — without any figure, text of a year or budget."""
    if last_year < first_year:
        raise ValidationError(
            {"last_year": _("最終年度は初年度と同じかそれより後にしてください。")}
        )
    if selectors.plans_of(organization).filter(slug=slug).exists():
        raise ValidationError({"slug": _("この識別子の計画は既にあります。")})
    if copy_from is not None and copy_from.organization_id not in {
        organization.pk,
        organization.parent_id,
    }:
        raise ValidationError({"copy_from": _("自団体か県の計画を選んでください。")})
    plan = Plan.objects.create(
        organization=organization,
        name=name,
        slug=slug,
        kind=kind,
        first_year=first_year,
        last_year=last_year,
        level_name=copy_from.level_name
        if copy_from
        else Plan._meta.get_field("level_name").default,
        goal=copy_from.goal if copy_from else "",
    )
    if copy_from is not None:
        _copy_structure(copy_from, plan)
    audit.record_created(
        instance=plan,
        fields=["name", "slug", "kind", "first_year", "last_year"],
        actor=actor,
        organization=organization,
        summary=f"{copy_from.organization.name}「{copy_from.name}」の構成から" if copy_from else "",
    )
    return plan


def _binding_for(organization: Organization, indicator: Indicator) -> tuple[str, dict[str, Any]]:
    """A copied indicator's metric and the conditions of it that are ``organization``'s own: a
    survey of the plan's owner is left for the 市町 to choose (``indicators.unset_conditions``),
    but a binding whose list of procedures would be emptied, and so count every procedure, is not
    copied."""
    metric = chosen_metric(indicator)
    if metric is None:
        return indicator.metric_name, indicator.metric_parameters
    parameters, foreign = conditions_of(organization, metric, indicator.metric_parameters)
    if any(not parameter.required and parameter.name not in parameters for parameter in foreign):
        return "", {}
    return indicator.metric_name, parameters


def _copy_structure(source: Plan, plan: Plan) -> None:
    nodes: dict[int, Node] = {}
    pending = list(source.nodes.order_by("number"))
    while pending:  # each level once its parents exist
        for node in pending:
            if node.parent_id is None or node.parent_id in nodes:
                nodes[node.pk] = Node.objects.create(
                    plan=plan,
                    parent=nodes[node.parent_id] if node.parent_id is not None else None,
                    number=node.number,
                    title=node.title,
                    summary=node.summary,
                )
        pending = [node for node in pending if node.pk not in nodes]
    actions = {}
    for action in source.actions.all():
        actions[action.pk] = Action.objects.create(
            plan=plan,
            node=nodes[action.node_id],
            number=action.number,
            policies=action.policies,
            title=action.title,
            division_name=action.division_name,
            category=action.category,
        )
    for node in source.nodes.prefetch_related("reprinted_actions"):
        reprinted = [actions[action.pk] for action in node.reprinted_actions.all()]
        if reprinted:
            nodes[node.pk].reprinted_actions.set(reprinted)
    for indicator in source.indicators.all():
        metric_name, parameters = _binding_for(plan.organization, indicator)
        Indicator.objects.create(
            plan=plan,
            kind=indicator.kind,
            order=indicator.order,
            name=indicator.name,
            unit=indicator.unit,
            decimals=indicator.decimals,
            direction=indicator.direction,
            description=indicator.description,
            metric_name=metric_name,
            metric_parameters=parameters,
        )
    # The newest evaluation sheet's projects are the current structure; older sheets' are history.
    newest_sheet = source.projects.aggregate(newest=Max("sheet_year"))["newest"]
    for project in source.projects.filter(Q(sheet_year__isnull=True) | Q(sheet_year=newest_sheet)):
        Project.objects.create(
            plan=plan,
            group=project.group,
            order=project.order,
            name=project.name,
            code=project.code,
            code_name=project.code_name,
        )


# A plan's structure added on its page.
from jichitai.pdca.services.structure import (  # noqa: E402
    add_action,
    add_indicator,
    add_node,
    change_action,
    change_indicator,
    change_node,
    delete_plan,
    remove_element,
)

# The workbook import's writes (its job kind registers when this package is imported).
from jichitai.pdca.services.workbook import (  # noqa: E402
    apply_import_now,
    apply_workbook,
    confirm_import,
    preview_import,
)

__all__ = [
    "KEEP",
    "add_action",
    "add_indicator",
    "add_node",
    "apply_import_now",
    "apply_workbook",
    "bind_metric",
    "change_action",
    "change_indicator",
    "change_node",
    "confirm_import",
    "create_plan",
    "delete_plan",
    "lock_year",
    "preview_import",
    "publish_report",
    "remove_element",
    "reopen_year",
    "set_action_year",
    "set_executed_budgets",
    "set_indicator_year",
]

"""Building a plan's structure on its page: a level (施策・取組の分類), an indicator or an action
added one at a time, numbered after the last, a level's or an indicator's own wording corrected
later, and an element or a whole plan made by mistake removed, each one transaction with its audit
entry. (A plan copied from another takes its structure whole, ``create_plan``; the workbook adds
actions to levels that exist and matches indicators by name, so it cannot rename one.)"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.pdca import removals
from jichitai.pdca.models import Action, Indicator, Node, Plan
from jichitai.pdca.services import save_audited

# What IndicatorYear and Indicator hold: DecimalField(max_digits=16, decimal_places=3).
MAX_DECIMALS = 3
MAX_FIGURE = Decimal(10) ** 13


def _next(numbers: QuerySet, field: str) -> int:
    return (numbers.aggregate(last=Max(field))["last"] or 0) + 1


@transaction.atomic
def add_node(*, actor: User | None, plan: Plan, title: str, summary: str = "") -> Node:
    """A new first level of ``plan``, numbered after the last ((1), (2) …)."""
    node = Node.objects.create(
        plan=plan,
        number=_next(plan.nodes.filter(parent__isnull=True), "number"),
        title=title,
        summary=summary,
    )
    audit.record_created(
        instance=node,
        fields=["number", "title", "summary"],
        actor=actor,
        organization=plan.organization,
        summary=plan.name,
    )
    return node


@transaction.atomic
def add_indicator(
    *,
    actor: User | None,
    plan: Plan,
    name: str,
    kind: str,
    unit: str,
    decimals: int = 0,
    direction: str = Indicator.Direction.HIGHER,
    description: str = "",
    baseline_year: int | None = None,
    baseline_value: Decimal | None = None,
) -> Indicator:
    """A new indicator of ``plan``, listed after the others; its targets and actuals per 年度 are
    entered on its own page (``set_indicator_year``)."""
    _check_indicator(decimals, baseline_year, baseline_value)
    indicator = Indicator.objects.create(
        plan=plan,
        kind=kind,
        order=_next(plan.indicators.all(), "order"),
        name=name,
        unit=unit,
        decimals=decimals,
        direction=direction,
        description=description,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
    )
    audit.record_created(
        instance=indicator,
        fields=["kind", "name", "unit", "direction", "baseline_year", "baseline_value"],
        actor=actor,
        organization=plan.organization,
        summary=plan.name,
    )
    return indicator


def _check_indicator(
    decimals: int, baseline_year: int | None, baseline_value: Decimal | None
) -> None:
    errors = {}
    if not 0 <= decimals <= MAX_DECIMALS:
        errors["decimals"] = _("小数点以下の桁数は 0 から 3 までで入力してください。")
    if baseline_value is not None and abs(baseline_value) >= MAX_FIGURE:
        errors["baseline_value"] = _("数値が大きすぎます。")
    if baseline_value is not None and baseline_year is None:
        errors["baseline_year"] = _("現状値を入れるときは、その年度も入れてください。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def change_indicator(
    *,
    actor: User | None,
    indicator: Indicator,
    name: str,
    kind: str,
    unit: str,
    decimals: int = 0,
    direction: str = Indicator.Direction.HIGHER,
    description: str = "",
    baseline_year: int | None = None,
    baseline_value: Decimal | None = None,
) -> Indicator:
    """Corrects an indicator's own wording and baseline (a misspelt name, the wrong unit); its
    figures per 年度 stay as they are."""
    _check_indicator(decimals, baseline_year, baseline_value)
    save_audited(
        row=indicator,
        values={
            "name": name,
            "kind": kind,
            "unit": unit,
            "decimals": decimals,
            "direction": direction,
            "description": description,
            "baseline_year": baseline_year,
            "baseline_value": baseline_value,
        },
        actor=actor,
        organization=indicator.plan.organization,
        action="pdca.indicator.changed",
        summary=indicator.plan.name,
    )
    return indicator


@transaction.atomic
def change_node(*, actor: User | None, node: Node, title: str, summary: str = "") -> Node:
    """Corrects a level's name and summary; its number and actions stay."""
    save_audited(
        row=node,
        values={"title": title, "summary": summary},
        actor=actor,
        organization=node.plan.organization,
        action="pdca.node.changed",
        summary=node.plan.name,
    )
    return node


@transaction.atomic
def add_action(
    *,
    actor: User | None,
    plan: Plan,
    node: Node,
    title: str,
    division_name: str,
    category: str = Action.Category.PREFECTURE,
) -> Action:
    """A new action under one of ``plan``'s levels, numbered after the plan's last (NO is the
    plan's running number, as in the workbook); its schedule and status per 年度 are entered on
    its own page (``set_action_year``)."""
    if node.plan_id != plan.pk:
        raise ValidationError({"node": _("この計画の階層を選んでください。")})
    action = Action.objects.create(
        plan=plan,
        node=node,
        number=_next(plan.actions.all(), "number"),
        title=title,
        division_name=division_name,
        category=category,
    )
    audit.record_created(
        instance=action,
        fields=["number", "title", "division_name", "category"],
        actor=actor,
        organization=plan.organization,
        summary=plan.name,
    )
    return action


@transaction.atomic
def change_action(
    *,
    actor: User | None,
    action: Action,
    node: Node,
    title: str,
    division_name: str,
    category: str = Action.Category.PREFECTURE,
) -> Action:
    """Corrects an action's wording, 担当課 and 区分, or files it under another level; its number
    and its schedule and status per 年度 stay."""
    if node.plan_id != action.plan_id:
        raise ValidationError({"node": _("この計画の階層を選んでください。")})
    save_audited(
        row=action,
        values={"node": node, "title": title, "division_name": division_name, "category": category},
        actor=actor,
        organization=action.plan.organization,
        action="pdca.action.changed",
        summary=action.plan.name,
    )
    return action


@transaction.atomic
def delete_plan(*, actor: User | None, plan: Plan) -> None:
    """Deletes a plan made by mistake with its levels, actions, indicators and figures; meetings
    that followed it keep their record. A plan with a published report stays: its public page and
    reports are what residents were shown."""
    if removals.is_published(plan):
        raise ValidationError(_("報告書を公開した計画は削除できません。"))
    audit.record(
        action="pdca.plan.deleted",
        actor=actor,
        organization=plan.organization,
        target=plan,
        summary=plan.name,
    )
    # Actions first: a level cannot go while an action is filed under it (Action.node PROTECT).
    plan.actions.all().delete()
    plan.delete()


@transaction.atomic
def remove_element(*, actor: User | None, plan: Plan, element: Node | Indicator | Action) -> None:
    """Removes a level, an indicator or an action added by mistake, with its rows per 年度;
    refused while a closed 年度 holds one of them or while actions are filed under the level."""
    refusal = removals.removal(plan, element).refusal
    if refusal:
        raise ValidationError(refusal)
    audit.record(
        action=f"pdca.{type(element).__name__.lower()}.deleted",
        actor=actor,
        organization=plan.organization,
        target=element,
        summary=f"{plan.name}: {element}",
    )
    element.delete()

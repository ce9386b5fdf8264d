"""What deleting a plan, or removing one of its levels, indicators or actions, takes with it, and
what stops it: read by the confirmation pages and checked again by the services that delete."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from jichitai.core.templatetags.japanese import nendo
from jichitai.pdca import selectors
from jichitai.pdca.models import Action, Indicator, IndicatorYear, Node, Plan


def plan_contents(plan: Plan) -> dict[str, int]:
    """What deleting the plan takes with it, counted for the page that asks to confirm."""
    return {
        "levels": plan.nodes.count(),
        "actions": plan.actions.count(),
        "indicators": plan.indicators.count(),
        "figures": IndicatorYear.objects.filter(indicator__plan=plan)
        .exclude(target__isnull=True, actual__isnull=True)
        .count(),
    }


@dataclass(frozen=True)
class Removal:
    """What removing a level, an indicator or an action takes with it, and what stops it."""

    rows: int  # the element's rows per 年度 that hold something
    actions: int = 0  # filed under a level
    has_children: bool = False
    closed_year: int | None = None  # a closed 年度 holding one of the rows

    @property
    def refusal(self) -> str:
        """Why the element cannot be removed now ("" when it can)."""
        if self.actions:
            return _(
                "取組が %(count)s件あるため削除できません。先に取組を別の階層に移すか、削除してください。"
            ) % {"count": self.actions}
        if self.has_children:
            return _("下の階層があるため削除できません。")
        if self.closed_year is not None:
            return _(
                "締め切った%(year)sの値があるため削除できません。先に年度を再開してください。"
            ) % {"year": nendo(self.closed_year)}
        return ""


def removal(plan: Plan, element: Node | Indicator | Action) -> Removal:
    """What removing ``element``, a level, an indicator or an action of ``plan``, would take with
    it: an indicator's targets and actuals, an action's schedules and statuses per 年度."""
    if isinstance(element, Node):
        return Removal(
            rows=0, actions=element.actions.count(), has_children=element.children.exists()
        )
    if isinstance(element, Indicator):
        years = [
            row.fiscal_year
            for row in element.years.all()
            if row.target is not None or row.actual is not None
        ]
    else:
        years = [
            row.fiscal_year
            for row in element.years.all()
            if row.schedule or row.status_text or row.progress is not None
        ]
    closed = sorted(set(years) & selectors.locked_years(plan))
    return Removal(rows=len(years), closed_year=closed[0] if closed else None)


def is_published(plan: Plan) -> bool:
    """Whether a report of the plan has been published (its public page exists)."""
    return plan.snapshots.exists()

"""What the automation module adds to the platform's registries: the live metrics, the staff
navigation and home card, and the demo (its background jobs are in ``jobs.py``)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jichitai.automation import demo, selectors
from jichitai.core.metrics import Metric
from jichitai.core.registry import metrics
from jichitai.dashboard.registry import Card, NavItem, cards, navigation
from jichitai.demo.registry import DemoLoader, demo_loaders
from jichitai.tenancy.models import Role

navigation.register(
    "automation",
    NavItem(pgettext_lazy("staff menu", "業務自動化(RPA)"), "automation:home", order=50),
)


def _card(request):
    scenario_count = selectors.scenario_count(request.tenant)
    if not scenario_count:
        return None
    return {
        "scenarios": scenario_count,
        "queue": selectors.work_queue_count(request.tenant),
        "runs": selectors.runs_of(request.tenant)[:3],
        "sign_off": selectors.awaiting_sign_off(request.tenant, user=request.user)
        if request.membership.has_role(Role.MANAGER)
        else None,
    }


cards.register(
    "automation",
    Card(_("業務自動化(RPA)"), "automation/card.html", _card, order=50, role=Role.CLERK),
)

metrics.register(
    "automation.hours_saved",
    Metric(
        name="automation.hours_saved",
        label=_("業務自動化(RPA)による削減時間"),
        unit="時間",
        compute=selectors.hours_saved,
        description=_(
            "効果台帳の、その年度の導入前と導入後の作業時間の差(自動実行分と手入力分の合計)。"
        ),
        since=selectors.ledger_since,
        compute_many=selectors.hours_saved_of,
    ),
)
metrics.register(
    "automation.tasks",
    Metric(
        name="automation.tasks",
        label=_("業務自動化(RPA)を導入した業務の数"),
        unit="業務",
        compute=lambda organization, fiscal_year: (
            selectors.effect_by_fiscal_year(organization, fiscal_year)["total"]["tasks"] or None
        ),
        description=_("効果台帳にその年度の記録がある業務の数。"),
        since=selectors.ledger_since,
    ),
)
demo_loaders.register("automation", DemoLoader(load=demo.load, order=50))

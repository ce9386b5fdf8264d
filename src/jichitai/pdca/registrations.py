from django.utils.translation import gettext_lazy as _

from jichitai.dashboard.registry import Card, NavItem, cards, navigation
from jichitai.demo.registry import DemoLoader, demo_loaders
from jichitai.pdca import demo, public, selectors
from jichitai.portal.registry import PublicSection, public_sections

navigation.register("pdca", NavItem(_("計画・KPI"), "pdca:plans", order=40))


def _stale_card(request):
    plans, stale = selectors.stale_indicators(request.tenant)
    return {"plans": plans, "stale": stale} if plans else None


cards.register("pdca", Card(_("計画・KPI"), "pdca/card.html", _stale_card, order=40))
demo_loaders.register("pdca", DemoLoader(load=demo.load, order=40))


def _public_section(request, organization):
    plans = list(public.published_plans(organization))
    return {"plans": plans, "organization": organization} if plans else None


public_sections.register(
    "pdca", PublicSection(_("計画と進捗"), "pdca/public/_section.html", _public_section, order=30)
)

from django.utils.translation import gettext_lazy as _

from jichitai.dashboard.registry import Card, NavItem, cards, navigation
from jichitai.demo.registry import DemoLoader, demo_loaders
from jichitai.pdca import demo, selectors, services  # noqa: F401  (services registers the import job)

navigation.register("pdca", NavItem(_("計画・KPI"), "pdca:plans", order=40))


def _stale_card(request):
    plans, stale = selectors.stale_indicators(request.tenant)
    return {"plans": plans, "stale": stale} if plans else None


cards.register("pdca", Card(_("計画・KPI"), "pdca/card.html", _stale_card, order=40))
demo_loaders.register("pdca", DemoLoader(load=demo.load, order=40))

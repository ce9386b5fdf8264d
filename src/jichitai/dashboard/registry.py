"""What the staff pages show, contributed by each app: cards on the staff home and entries in the
staff navigation. A module that is not installed contributes nothing, so pages show only what
exists."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from jichitai.core.registry import Registry
from jichitai.tenancy.models import Role


@dataclass(frozen=True)
class Card:
    title: str
    template: str
    # Returns the card's context, or None when the card has nothing to say to this member.
    context: Callable[..., dict | None]
    order: int = 100
    role: str = Role.VIEWER


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 100
    role: str = Role.VIEWER
    organization_kind: str | None = None


cards: Registry[Card] = Registry("dashboard cards")
navigation: Registry[NavItem] = Registry("staff navigation")


def cards_for(request) -> list[tuple[Card, dict]]:
    shown = []
    for _, card in sorted(cards.items(), key=lambda item: item[1].order):
        if not request.membership.has_role(card.role):
            continue
        context = card.context(request)
        if context is not None:
            shown.append((card, context))
    return shown


def navigation_for(request) -> list[dict]:
    membership = getattr(request, "membership", None)
    if membership is None:
        return []
    items = []
    for _, item in sorted(navigation.items(), key=lambda entry: entry[1].order):
        if not membership.has_role(item.role):
            continue
        if item.organization_kind and membership.organization.kind != item.organization_kind:
            continue
        url = reverse(item.url_name, kwargs={"org_code": membership.organization.code})
        items.append({"label": item.label, "url": url, "current": False})
    # The current entry is the one whose URL is the longest start of this page's path: the home
    # (/s/<code>/) starts every staff path, so it is current only on itself.
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["current"] = True
    return items

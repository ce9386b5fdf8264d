"""What the staff pages show, contributed by each app: cards on the staff home and entries in the
staff navigation. A module that is not installed contributes nothing, so pages show only what
exists."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
    # A setting or record of the organization rather than daily work: listed, with this line on
    # what it is for, on the 管理 page that one menu entry opens, so the menu fits one row.
    administration: str = ""


cards: Registry[Card] = Registry("dashboard cards")
navigation: Registry[NavItem] = Registry("staff navigation")


def cards_for(request) -> list[tuple[Card, dict]]:
    shown = []
    for _name, card in sorted(cards.items(), key=lambda item: item[1].order):
        if not request.membership.has_role(card.role):
            continue
        context = card.context(request)
        if context is not None:
            shown.append((card, context))
    return shown


def _visible_items(request) -> list[tuple[NavItem, str]]:
    membership = getattr(request, "membership", None)
    if membership is None:
        return []
    shown = []
    for _name, item in sorted(navigation.items(), key=lambda entry: entry[1].order):
        if not membership.has_role(item.role):
            continue
        if item.organization_kind and membership.organization.kind != item.organization_kind:
            continue
        shown.append(
            (item, reverse(item.url_name, kwargs={"org_code": membership.organization.code}))
        )
    return shown


def administration_for(request) -> list[dict]:
    """The settings and records this member may open, for the 管理 page."""
    return [
        {"label": item.label, "url": url, "description": item.administration}
        for item, url in _visible_items(request)
        if item.administration
    ]


def navigation_for(request) -> list[dict]:
    visible = _visible_items(request)
    if not visible:
        return []
    # Each entry with the paths it stands for: 管理 stands for itself and every setting under it.
    entries = [
        ({"label": item.label, "url": url, "current": False}, [url])
        for item, url in visible
        if not item.administration
    ]
    setting_urls = [url for item, url in visible if item.administration]
    if setting_urls:
        code = request.membership.organization.code
        hub = reverse("dashboard:administration", kwargs={"org_code": code})
        entries.append(({"label": _("管理"), "url": hub, "current": False}, [hub, *setting_urls]))
    # The current entry is the one with the longest start of this page's path: the home
    # (/s/<code>/) starts every staff path, so it is current only on itself.
    matching = [
        (len(path), entry)
        for entry, paths in entries
        for path in paths
        if request.path.startswith(path)
    ]
    if matching:
        max(matching, key=lambda match: match[0])[1]["current"] = True
    return [entry for entry, _paths in entries]

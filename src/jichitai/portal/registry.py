"""Sections of an organization's public page (/o/<code>/), contributed by the modules that publish
something to residents (open procedures, open data …)."""

from collections.abc import Callable
from dataclasses import dataclass

from jichitai.core.registry import Registry


@dataclass(frozen=True)
class PublicSection:
    title: str
    template: str
    # Returns the section's context for an organization, or None when it has nothing public.
    context: Callable[..., dict | None]
    order: int = 100


public_sections: Registry[PublicSection] = Registry("public page sections")


def sections_for(request, organization) -> list[tuple[PublicSection, dict]]:
    shown = []
    for _, section in sorted(public_sections.items(), key=lambda item: item[1].order):
        context = section.context(request, organization)
        if context is not None:
            shown.append((section, context))
    return shown


@dataclass(frozen=True)
class Shortcut:
    """A link straight into an entrance's page with a choice made (the finder's forms offered in
    Portuguese)."""

    label: str
    query: str  # added to the entrance's URL: "?lang=pt"
    lang: str = ""  # the label's language, when it is not the page's


@dataclass(frozen=True)
class Entrance:
    """A link on the top page to something residents come for whatever their 市町 (finding a
    procedure, the status of one sent, open data), contributed by the module that serves it."""

    label: str
    url_name: str
    description: str
    order: int = 100
    # Returns the shortcuts to show under it now (none by default).
    shortcuts: Callable[[], list[Shortcut]] | None = None


entrances: Registry[Entrance] = Registry("top page entrances")


def top_page_entrances() -> list[tuple[Entrance, list[Shortcut]]]:
    """The entrances in their order, each with its shortcuts."""
    return [
        (entrance, entrance.shortcuts() if entrance.shortcuts else [])
        for _, entrance in sorted(entrances.items(), key=lambda i: i[1].order)
    ]

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

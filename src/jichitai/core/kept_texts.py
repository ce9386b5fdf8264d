"""Texts the platform writes down now for people to read later (what converting a file did to
it): kept as their Japanese source and values, and put into words in the language of the page
that shows them. Written out at the time, they would be in the language of whoever happened to
act, and a colleague reading in Japanese would meet the English of one who uploaded in English.

Mark the source with ``gettext_noop`` so that ``make messages`` extracts it."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext


def kept(text: str, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A text to keep (in a JSON field): its Japanese source and the values it names, a value
    that is a ``KeptText`` itself (where a row is, a label) kept the same way."""
    return {
        "text": text,
        "values": {
            name: value.as_kept() if isinstance(value, KeptText) else value
            for name, value in (values or {}).items()
        },
    }


def told(entry: Mapping[str, Any] | str) -> str:
    """A kept text in the active language; one kept before its source was (a dict with its
    ``message``, or the words themselves), as it was written."""
    if isinstance(entry, str):
        return entry
    if "text" not in entry:
        return str(entry.get("message", ""))
    # A value may be a kept text itself (a label, a phrase for "none"): told in the same language.
    values = {
        name: told(value) if isinstance(value, Mapping) and "text" in value else value
        for name, value in (entry.get("values") or {}).items()
    }
    return gettext(entry["text"]) % values if values else gettext(entry["text"])


@dataclass(frozen=True)
class KeptText:
    """A text on its way to being kept: told in the active language where it is shown at once
    (``str``), written down as its source and values (``as_kept``) where it is stored."""

    text: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return told(self.as_kept())

    def as_kept(self) -> dict[str, Any]:
        return kept(self.text, self.values)

"""Texts the platform writes down now for people to read later (what converting a file did to
it): kept as their Japanese source and values, and put into words in the language of the page
that shows them. Written out at the time, they would be in the language of whoever happened to
act, and a colleague reading in Japanese would meet the English of one who uploaded in English.

Mark the source with ``gettext_noop`` so that ``make messages`` extracts it."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext


def kept(text: str, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A text to keep (in a JSON field): its Japanese source and the values it names."""
    return {"text": text, "values": dict(values or {})}


def told(entry: Mapping[str, Any]) -> str:
    """A kept text in the active language; one kept before its source was, as it was written."""
    if "text" not in entry:
        return str(entry.get("message", ""))
    values = entry.get("values") or {}
    return gettext(entry["text"]) % values if values else gettext(entry["text"])

from collections.abc import Mapping
from typing import Any

from django import template

from jichitai.core import kept_texts

register = template.Library()


@register.filter
def told(entry: Mapping[str, Any] | str) -> str:
    """``{{ finding|told }}``: a text kept by ``core.kept_texts`` in the page's language."""
    return kept_texts.told(entry)

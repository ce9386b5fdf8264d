from django import template

from jichitai.ocr.forms import TYPE_LABELS

register = template.Library()


@register.filter
def zone_type_label(code: str) -> str:
    """``checkbox`` → チェック欄: what a template's zone reads, in the active language."""
    return str(TYPE_LABELS.get(code, code))

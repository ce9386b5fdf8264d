from django import template

from jichitai.procedures.field_type_names import field_type_name as name_of

register = template.Library()


@register.filter
def field_type_name(code: str) -> str:
    return name_of(code)

from django import template

from jichitai.audit import labels

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return labels.action_label(action)


@register.filter
def target_type_label(target_type: str) -> str:
    return labels.target_type_label(target_type)


@register.filter
def channel_label(channel: str) -> str:
    return labels.channel_label(channel)

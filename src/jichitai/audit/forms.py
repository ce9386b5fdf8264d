from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.audit.models import AuditEvent
from jichitai.core.forms import JapaneseDateField


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("操作"), required=False)
    kind = forms.ChoiceField(
        label=_("種類"), required=False, choices=[("", _("すべて")), *AuditEvent.Kind.choices]
    )
    actor_name = forms.CharField(label=_("操作者"), required=False)
    target = forms.CharField(label=_("対象"), required=False)
    since = JapaneseDateField(label=_("開始日"), required=False)
    until = JapaneseDateField(label=_("終了日"), required=False)

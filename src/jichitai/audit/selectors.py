from datetime import date

from django.db.models import QuerySet

from jichitai.audit.models import AuditEvent
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import for_tenant, tenant_get


def events_of(
    organization: Organization,
    *,
    action: str = "",
    kind: str = "",
    actor_name: str = "",
    target: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    events = for_tenant(AuditEvent, organization).select_related("actor")
    if action:
        events = events.filter(action__icontains=action)
    if kind:
        events = events.filter(kind=kind)
    if actor_name:
        events = events.filter(actor_name__icontains=actor_name)
    if target:
        events = events.filter(target_repr__icontains=target)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events


def event_of(organization: Organization, event_id: int) -> AuditEvent:
    return tenant_get(AuditEvent, organization, pk=event_id)

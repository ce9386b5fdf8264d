"""Reads of tenants and the single gate that decides which organization a request may touch.

Every tenant-owned read in the project takes an ``Organization`` and goes through ``tenant_get`` /
``for_tenant`` (or a selector built on them); the middleware resolves the organization from the URL
with ``membership_for`` and nothing else.
"""

from datetime import date
from typing import TYPE_CHECKING, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jichitai.audit.models import AuditEvent
from jichitai.tenancy.models import Division, Invitation, Membership, Organization, Role

if TYPE_CHECKING:
    from jichitai.accounts.models import User

TenantModel = TypeVar("TenantModel", bound=Model)


def for_tenant(
    queryset_or_model: type[TenantModel] | QuerySet[TenantModel], organization: Organization
) -> QuerySet[TenantModel]:
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type) and issubclass(queryset_or_model, Model)
        else queryset_or_model
    )
    return queryset.filter(organization=organization)


def tenant_get(
    queryset_or_model: type[TenantModel] | QuerySet[TenantModel],
    organization: Organization,
    **lookup: object,
) -> TenantModel:
    """The object of ``organization`` matching ``lookup``; 404 for anything else, including objects
    that exist in another organization (their existence is not revealed)."""
    try:
        return for_tenant(queryset_or_model, organization).get(**lookup)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


def _current() -> Q:
    """Memberships in force: lasting ones, and break-glass ones before their end."""
    return Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())


def membership_for(user: "User | AnonymousUser", organization_code: str) -> Membership | None:
    """The active membership of ``user`` in the active organization ``organization_code``."""
    if not user.is_authenticated or not user.is_active:
        return None
    return (
        Membership.objects.select_related("organization", "division")
        .filter(
            _current(),
            user=user,
            organization__code=organization_code,
            organization__is_active=True,
            is_active=True,
        )
        .first()
    )


def memberships_of(user: "User") -> QuerySet[Membership]:
    return Membership.objects.select_related("organization", "division").filter(
        _current(), user=user, is_active=True, organization__is_active=True
    )


def organization_by_code(code: str) -> Organization:
    try:
        return Organization.objects.get(code=code, is_active=True)
    except Organization.DoesNotExist:
        raise Http404 from None


def public_organizations() -> QuerySet[Organization]:
    return Organization.objects.filter(is_active=True).select_related("parent")


def divisions_of(
    organization: Organization, *, include_inactive: bool = False
) -> QuerySet[Division]:
    divisions = for_tenant(Division, organization)
    return divisions if include_inactive else divisions.filter(is_active=True)


def division_of(organization: Organization, division_id: int) -> Division:
    return tenant_get(Division, organization, pk=division_id)


def members_of(organization: Organization) -> QuerySet[Membership]:
    return for_tenant(Membership, organization).select_related("user", "division")


def active_member_count(organization: Organization) -> int:
    return members_of(organization).filter(is_active=True).count()


def organization_counts(organization: Organization) -> dict[str, int]:
    """Active divisions, active members and (for a prefecture) municipalities."""
    return {
        "division_count": divisions_of(organization).count(),
        "member_count": active_member_count(organization),
        "municipality_count": municipalities_of(organization).count(),
    }


def has_member(organization: Organization, *, username: str) -> bool:
    """Whether the login ID has a membership of the organization, in force or not."""
    return for_tenant(Membership, organization).filter(user__username=username).exists()


def holds_break_glass_access(organization: Organization, user: "User") -> bool:
    """Whether ``user``'s membership of the organization is a (temporary) break-glass one."""
    return for_tenant(Membership, organization).filter(user=user, expires_at__isnull=False).exists()


def member_of(organization: Organization, membership_id: int) -> Membership:
    return tenant_get(members_of(organization), organization, pk=membership_id)


def municipalities_of(prefecture: Organization) -> QuerySet[Organization]:
    """The 市町 a prefecture manages; empty for a municipality."""
    if not prefecture.is_prefecture:
        return Organization.objects.none()
    return Organization.objects.filter(parent=prefecture)


def municipality_of(prefecture: Organization, code: str) -> Organization:
    try:
        return municipalities_of(prefecture).get(code=code)
    except Organization.DoesNotExist:
        raise Http404 from None


def admins_of(organization: Organization) -> QuerySet[Membership]:
    """The organization's own active administrators (break-glass access is not one of them)."""
    return members_of(organization).filter(role=Role.ADMIN, is_active=True, expires_at__isnull=True)


def open_invitations_of(organization: Organization) -> QuerySet[Invitation]:
    """Invitations not yet accepted and not expired."""
    return for_tenant(Invitation, organization).filter(
        accepted_at__isnull=True, expires_at__gt=timezone.now()
    )


def open_invitation_of(organization: Organization, invitation_id: int) -> Invitation:
    return tenant_get(open_invitations_of(organization), organization, pk=invitation_id)


def open_invitation(token: str) -> Invitation:
    """The open invitation whose link carries this token, to an active organization; 404
    otherwise. Looked up by token, as the person following the link belongs to no organization yet."""
    try:
        return Invitation.objects.select_related("organization", "division").get(
            token_hash=Invitation.hash_token(token),
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
            organization__is_active=True,
        )
    except Invitation.DoesNotExist:
        raise Http404 from None


def audit_events_of(
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
        events = events.filter(action=action)
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


# The operations offered in the audit log's filter are read from this many newest entries: the
# (organization, -at) index serves them, where a DISTINCT over a log of millions would not.
RECENT_AUDIT_ENTRIES = 20_000


def audit_actions_of(organization: Organization) -> list[str]:
    """The operations (action codes) found in the organization's recent log."""
    recent = (
        for_tenant(AuditEvent, organization).order_by("-at").values("pk")[:RECENT_AUDIT_ENTRIES]
    )
    return list(
        AuditEvent.objects.filter(pk__in=recent)
        .order_by()
        .values_list("action", flat=True)
        .distinct()
    )


def audit_event_of(organization: Organization, event_id: int) -> AuditEvent:
    return tenant_get(AuditEvent, organization, pk=event_id)


def account_named(username: str) -> "User | None":
    """The staff account with this login ID, or None."""
    return get_user_model().objects.filter(username=username).first()

"""Writes about organizations, divisions and memberships. Each function is one transaction and
records what it changed in the audit log."""

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.audit import services as audit
from jichitai.core.links import absolute_url
from jichitai.tenancy.models import Division, Invitation, Membership, Organization, Role
from jichitai.tenancy.selectors import (
    account_named,
    admins_of,
    for_tenant,
    has_member,
    holds_break_glass_access,
)

if TYPE_CHECKING:
    from jichitai.accounts.models import User

StoredModel = TypeVar("StoredModel", bound=models.Model)

ORGANIZATION_FIELDS = ["name", "name_kana", "postal_code", "address", "phone", "email", "website"]
DIVISION_FIELDS = ["name", "department", "phone", "email", "is_active"]
MEMBERSHIP_FIELDS = ["role", "division", "is_active"]
INVITATION_FIELDS = ["username", "email", "role", "division"]


def _stored(instance: StoredModel) -> StoredModel:
    """The row as it is in the database: a ModelForm has already copied the new values onto the
    instance it was given, so the instance cannot tell what is changing."""
    return type(instance)._default_manager.get(pk=instance.pk)


def _apply(instance: models.Model, fields: list[str], values: dict[str, Any]) -> dict[str, Any]:
    """Saves ``values`` onto ``instance``; returns the stored ``fields`` as they were before, for
    ``audit.record_update``."""
    before = audit.snapshot(instance=_stored(instance), fields=fields)
    for name in fields:
        if name in values:
            setattr(instance, name, values[name])
    instance.full_clean()
    instance.save()
    return before


@transaction.atomic
def update_organization(
    *, actor: "User", organization: Organization, **values: Any
) -> Organization:
    before = _apply(organization, ORGANIZATION_FIELDS, values)
    audit.record_update(
        action="tenancy.organization.updated", actor=actor, target=organization, before=before
    )
    return organization


@transaction.atomic
def update_privacy_policy(*, actor: "User", organization: Organization, text: str) -> Organization:
    """The organization's 個人情報の取扱い, as residents read it before they consent."""
    before = _apply(organization, ["privacy_policy"], {"privacy_policy": text.strip()})
    audit.record_update(
        action="tenancy.privacy_policy.updated", actor=actor, target=organization, before=before
    )
    return organization


@transaction.atomic
def create_municipality(
    *, actor: "User", prefecture: Organization, code: str, name: str, name_kana: str, kind: str
) -> Organization:
    if not prefecture.is_prefecture:
        raise ValidationError(_("市町を登録できるのは都道府県だけです。"))
    if kind == Organization.Kind.PREFECTURE:
        raise ValidationError({"kind": _("市町村の種別を選んでください。")})
    municipality = Organization(
        code=code, name=name, name_kana=name_kana, kind=kind, parent=prefecture
    )
    municipality.full_clean()
    municipality.save()
    audit.record_created(
        instance=municipality,
        fields=["code", "name", "name_kana", "kind"],
        actor=actor,
        organization=prefecture,
    )
    return municipality


@transaction.atomic
def update_municipality(
    *, actor: "User", prefecture: Organization, municipality: Organization, **values: Any
) -> Organization:
    fields = ["name", "name_kana", "kind", "is_active"]
    before = _apply(municipality, fields, values)
    audit.record_update(
        action="tenancy.municipality.updated",
        actor=actor,
        organization=prefecture,
        target=municipality,
        before=before,
    )
    return municipality


def _refuse_duplicate_division_name(
    organization: Organization, name: str, exclude_pk: int | None = None
) -> None:
    duplicates = for_tenant(Division, organization).filter(name=name)
    # pk=None matches no row, so a new division excludes nothing; the stubs accept only a key.
    if duplicates.exclude(pk=exclude_pk).exists():  # type: ignore[misc]
        raise ValidationError(
            {"name": _("「%(name)s」という所属はすでに登録されています。") % {"name": name}}
        )


@transaction.atomic
def create_division(*, actor: "User", organization: Organization, **values: Any) -> Division:
    _refuse_duplicate_division_name(organization, values.get("name", ""))
    division = Division(organization=organization)
    for name in DIVISION_FIELDS:
        if name in values:
            setattr(division, name, values[name])
    division.full_clean()
    division.save()
    audit.record_created(instance=division, fields=DIVISION_FIELDS, actor=actor)
    return division


@transaction.atomic
def update_division(*, actor: "User", division: Division, **values: Any) -> Division:
    if "name" in values:
        _refuse_duplicate_division_name(division.organization, values["name"], division.pk)
    before = _apply(division, DIVISION_FIELDS, values)
    audit.record_update(
        action="tenancy.division.updated", actor=actor, target=division, before=before
    )
    return division


INVITATION_LIFETIME = timedelta(days=7)
INVITATION_UNUSABLE = (
    "この招待は無効か、有効期限が切れています。招待した管理者に再送を依頼してください。"
)


def _send_invitation(invitation: Invitation, link: str) -> None:
    # An existing account is asked at its own address, so that its holder decides; the address the
    # admin typed is used only for a login ID that has no account yet.
    account = account_named(invitation.username)
    recipient = account.email if account is not None and account.email else invitation.email
    body = render_to_string(
        "tenancy/email/invitation.txt",
        {"invitation": invitation, "has_account": account is not None, "link": link},
    )
    send_mail(f"【{invitation.organization.name}】職員としての招待", body, None, [recipient])


@transaction.atomic
def invite_member(
    *,
    actor: "User",
    organization: Organization,
    username: str,
    email: str,
    role: str,
    full_name: str = "",
    division: Division | None = None,
) -> Invitation:
    """Invites a person to ``organization`` by e-mail; they become a member only by accepting. The
    answer is the same whether the login ID belongs to an account (of any organization) or not, so
    the page tells an admin nothing about other organizations' staff."""
    if division is not None and division.organization_id != organization.pk:
        raise ValidationError({"division": _("別の団体の所属は選べません。")})
    if holds_break_glass_access(organization, actor):
        raise ValidationError(
            _("緊急アクセス中は職員を招待できません。市町の管理者に依頼してください。")
        )
    if has_member(organization, username=username):
        raise ValidationError({"username": _("この職員はすでにこの団体に登録されています。")})
    now = timezone.now()
    # A new invitation replaces earlier ones to the same login ID.
    for_tenant(Invitation, organization).filter(
        username=username, accepted_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    raw = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization=organization,
        username=username,
        email=email,
        full_name=full_name,
        role=Role(role),
        division=division,
        invited_by=actor,
        token_hash=Invitation.hash_token(raw),
        expires_at=now + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    audit.record_created(
        instance=invitation, fields=INVITATION_FIELDS, actor=actor, summary=f"{username} を招待"
    )
    link = absolute_url(reverse("accounts:invitation", kwargs={"token": raw}))
    transaction.on_commit(lambda: _send_invitation(invitation, link))
    return invitation


@transaction.atomic
def cancel_invitation(*, actor: "User", invitation: Invitation) -> None:
    """The invitation's link stops working (a mistyped login ID or address, a change of mind)."""
    now = timezone.now()
    if invitation.accepted_at is None and invitation.expires_at > now:
        invitation.expires_at = now
        invitation.save(update_fields=["expires_at"])
        audit.record(
            action="tenancy.invitation.cancelled",
            actor=actor,
            organization=invitation.organization,
            target=invitation,
            summary=f"{invitation.username} への招待を取消",
        )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: "User") -> Membership:
    """``user`` accepts: the membership the invitation offered is created, once."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None or locked.expires_at <= timezone.now():
        raise ValidationError(INVITATION_UNUSABLE)
    if user.username != locked.username:
        raise ValidationError(
            _(
                "この招待は別のログインID(%(username)s)宛てです。そのログインIDでログインし直してください。"
            )
            % {"username": locked.username}
        )
    if has_member(locked.organization, username=user.username):
        raise ValidationError(_("すでにこの団体の職員として登録されています。"))
    membership = Membership(
        user=user, organization=locked.organization, role=locked.role, division=locked.division
    )
    membership.full_clean()
    membership.save()
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        action="tenancy.invitation.accepted",
        actor=user,
        organization=locked.organization,
        target=membership,
        changes=audit.changes_between(
            before={}, after=audit.snapshot(instance=membership, fields=MEMBERSHIP_FIELDS)
        ),
        summary=f"{user.username} が招待を承諾",
    )
    return membership


@transaction.atomic
def create_account_from_invitation(
    *, invitation: Invitation, password: str, full_name: str = ""
) -> Membership:
    """A person invited under a login ID that has no account creates it with their own password,
    and accepts. The account's address is the one the invitation was sent to."""
    if account_named(invitation.username) is not None:
        raise ValidationError(
            _("このログインIDのアカウントはすでにあります。ログインしてから承諾してください。")
        )
    user = get_user_model()(
        username=invitation.username,
        email=invitation.email,
        full_name=full_name or invitation.full_name,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.record(
        action="accounts.user.created",
        actor=user,
        organization=invitation.organization,
        target=user,
        summary=f"{user.username} のアカウントを招待から作成",
    )
    return accept_invitation(invitation=invitation, user=user)


@transaction.atomic
def invite_municipal_admin(
    *, actor: "User", prefecture: Organization, municipality: Organization, **values: Any
) -> Invitation:
    """The prefecture invites a 市町's administrator only while it has none of its own; once it
    has one, the prefecture reaches it only through break-glass access."""
    if municipality.parent_id != prefecture.pk:
        raise ValidationError(_("県の管理する市町ではありません。"))
    if admins_of(municipality).exists():
        raise ValidationError(
            _(
                "%(municipality)sにはすでに管理者がいます。管理者の追加は%(municipality)sの管理者が行います。緊急の対応が必要な場合は「緊急アクセス」を使ってください。"
            )
            % {"municipality": municipality.name}
        )
    return invite_member(
        actor=actor, organization=municipality, role=Role.ADMIN, division=None, **values
    )


BREAK_GLASS_MAX_HOURS = 8


def _notify_break_glass(membership: Membership, reason: str, recipients: list[str]) -> None:
    body = render_to_string(
        "tenancy/email/break_glass.txt", {"membership": membership, "reason": reason}
    )
    send_mail(
        f"【{membership.organization.name}】県職員による緊急アクセスのお知らせ",
        body,
        None,
        recipients,
    )


@transaction.atomic
def grant_break_glass_access(
    *, actor: "User", prefecture: Organization, municipality: Organization, reason: str, hours: int
) -> Membership:
    """Gives a prefecture admin temporary admin access to one of its 市町, for a stated reason and
    at most BREAK_GLASS_MAX_HOURS. Recorded in both organizations' audit logs and e-mailed to the
    municipality's own administrators (or its representative address) when granted."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("緊急アクセスの理由を入力してください。")})
    if not 1 <= hours <= BREAK_GLASS_MAX_HOURS:
        raise ValidationError(
            {
                "hours": _("期間は1時間から%(hours)s時間以内で指定してください。")
                % {"hours": BREAK_GLASS_MAX_HOURS}
            }
        )
    if municipality.parent_id != prefecture.pk:
        raise ValidationError(_("県の管理する市町ではありません。"))
    now = timezone.now()
    membership = (
        for_tenant(Membership.objects.select_for_update(), municipality).filter(user=actor).first()
    )
    if membership is not None and membership.expires_at is None:
        raise ValidationError(
            _("すでに%(municipality)sの職員として登録されています。")
            % {"municipality": municipality.name}
        )
    if membership is None:
        membership = Membership(user=actor, organization=municipality)
    membership.role = Role.ADMIN
    membership.division = None
    membership.is_active = True
    membership.expires_at = now + timedelta(hours=hours)
    membership.full_clean()
    membership.save()
    summary = f"県による緊急アクセス({hours}時間): {reason}"
    changes = {"expires_at": [None, membership.expires_at.isoformat()], "reason": [None, reason]}
    for organization in (municipality, prefecture):
        audit.record(
            action="tenancy.break_glass.granted",
            actor=actor,
            organization=organization,
            target=membership,
            summary=summary,
            changes=changes,
        )
    recipients = [m.user.email for m in admins_of(municipality) if m.user.email] or [
        address for address in [municipality.email] if address
    ]
    if recipients:
        transaction.on_commit(lambda: _notify_break_glass(membership, reason, recipients))
    return membership


@transaction.atomic
def change_member(*, actor: "User", membership: Membership, **values: Any) -> Membership:
    stored = _stored(membership)
    if stored.user_id == getattr(actor, "pk", None) and (
        values.get("role", stored.role) != stored.role or values.get("is_active", True) is False
    ):
        raise ValidationError(_("自分自身の権限は変更できません。他の管理者に依頼してください。"))
    division = values.get("division")
    if division is not None and division.organization_id != membership.organization_id:
        raise ValidationError({"division": _("別の団体の所属は選べません。")})
    before = _apply(membership, MEMBERSHIP_FIELDS, values)
    audit.record_update(
        action="tenancy.membership.updated", actor=actor, target=membership, before=before
    )
    return membership
